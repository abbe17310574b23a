#include "graph_page.hpp"

#include <idsync/sdk.hpp>

#include "graph_failure.hpp"

namespace idsync::msgraph {

namespace {

sdk::Error malformed(std::string_view what, std::string_view why) {
  return sdk::Error(
      IDSYNC_ERR_CONNECTION,
      std::string(what) + ": the answer is not a Graph collection (" + std::string(why) + ")",
      IDSYNC_RETRY);
}

std::string link(const boost::json::object& body, std::string_view name) {
  const auto* v = body.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

GraphPage read_page(GraphClient& graph, std::string_view path_or_url, std::string_view what,
                    const Headers& headers) {
  const http::HttpResponse response = graph.get(path_or_url, headers);
  if (response.status != 200) throw read_failure(response, what);
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  if (ec) throw malformed(what, ec.message());
  if (!body.is_object()) throw malformed(what, "not a JSON object");
  boost::json::object& object = body.get_object();
  GraphPage page;
  page.next_link = link(object, "@odata.nextLink");
  page.delta_link = link(object, "@odata.deltaLink");
  auto* value = object.if_contains("value");
  if (value == nullptr || !value->is_array()) throw malformed(what, "no value array");
  page.objects = std::move(value->get_array());
  return page;
}

Headers page_size_header(uint32_t page_size) {
  return {{"Prefer", "odata.maxpagesize=" + std::to_string(page_size)}};
}

}  // namespace idsync::msgraph
