// The national clouds of Microsoft Graph: each has its own identity platform authority and Graph
// host, and tokens of one are not accepted by another.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idsync::msgraph {

struct CloudEndpoints {
  std::string authority;  // "https://login.microsoftonline.com", no trailing slash
  std::string graph;      // "https://graph.microsoft.com", no trailing slash, no version
};

// "global", "usgov" (GCC High, L4), "usgov-dod" (DoD, L5) or "china" (operated by 21Vianet);
// nullopt for any other name. Names are matched exactly (lower case).
std::optional<CloudEndpoints> cloud_endpoints(std::string_view name);

}  // namespace idsync::msgraph
