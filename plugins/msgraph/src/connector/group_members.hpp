// The whole member lists of groups, for a full import: one members read per group, twenty to a
// $batch request, then each list's further pages. Only users and groups are kept (see
// MemberChanges).
#pragma once

#include <string>
#include <vector>

#include "graph/graph_client.hpp"

namespace idsync::msgraph {

// Member ids of each group in `group_ids`, in that order. A group deleted meanwhile has none
// (the next delta import deletes it). A refused read throws read_failure's error.
std::vector<std::vector<std::string>> read_members(GraphClient& graph,
                                                   const std::vector<std::string>& group_ids);

}  // namespace idsync::msgraph
