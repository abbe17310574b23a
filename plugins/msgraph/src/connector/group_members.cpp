#include "group_members.hpp"

#include "graph_failure.hpp"
#include "graph_object_reader.hpp"
#include "graph_page.hpp"

namespace idsync::msgraph {

namespace {

// 999 is the largest page the members collection gives.
std::string members_path(const std::string& group_id) {
  return "/groups/" + group_id + "/members?$select=id&$top=999";
}

void collect(const boost::json::array& entries, std::vector<std::string>& ids) {
  for (const boost::json::value& item : entries) {
    if (!item.is_object() || !is_member_type(item.get_object())) continue;
    const auto* id = item.get_object().if_contains("id");
    if (id != nullptr && id->is_string()) ids.emplace_back(id->get_string());
  }
}

}  // namespace

std::vector<std::vector<std::string>> read_members(GraphClient& graph,
                                                   const std::vector<std::string>& group_ids) {
  std::vector<BatchRequest> requests;
  requests.reserve(group_ids.size());
  for (const std::string& id : group_ids) requests.push_back({"GET", members_path(id), {}});
  const std::vector<BatchResult> results = graph.batch(requests);

  std::vector<std::vector<std::string>> members(group_ids.size());
  for (size_t i = 0; i < group_ids.size(); ++i) {
    const BatchResult& result = results[i];
    const std::string what = "reading the members of group " + group_ids[i];
    if (result.status == 404) continue;
    if (result.status != 200) throw read_failure(as_response(result), what);
    const auto* body = result.body.if_object();
    const auto* value = body != nullptr ? body->if_contains("value") : nullptr;
    if (value == nullptr || !value->is_array())
      throw sdk::Error(IDSYNC_ERR_CONNECTION, what + ": the answer is not a Graph collection",
                       IDSYNC_RETRY);
    collect(value->get_array(), members[i]);
    const auto* next = body->if_contains("@odata.nextLink");
    std::string link = next != nullptr && next->is_string() ? std::string(next->get_string()) : "";
    while (!link.empty()) {
      GraphPage page = read_page(graph, link, what);
      collect(page.objects, members[i]);
      link = page.next_link;
    }
  }
  return members;
}

}  // namespace idsync::msgraph
