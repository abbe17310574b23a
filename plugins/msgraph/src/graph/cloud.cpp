#include "graph/cloud.hpp"

namespace idsync::msgraph {

std::optional<CloudEndpoints> cloud_endpoints(std::string_view name) {
  if (name == "global")
    return CloudEndpoints{"https://login.microsoftonline.com", "https://graph.microsoft.com"};
  if (name == "usgov")
    return CloudEndpoints{"https://login.microsoftonline.us", "https://graph.microsoft.us"};
  if (name == "usgov-dod")
    return CloudEndpoints{"https://login.microsoftonline.us", "https://dod-graph.microsoft.us"};
  if (name == "china")
    return CloudEndpoints{"https://login.chinacloudapi.cn",
                          "https://microsoftgraph.chinacloudapi.cn"};
  return std::nullopt;
}

}  // namespace idsync::msgraph
