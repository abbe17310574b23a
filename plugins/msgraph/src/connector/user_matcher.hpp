// Before a user is created, a cloud user that already stands for it is taken over instead, as
// Entra Connect does:
//   hard match  the cloud user's onPremisesImmutableId equals the new one's;
//   soft match  the cloud user has the same userPrincipalName, or the new one's mail among its
//               proxyAddresses, and no on-premises object owns it yet (no immutable id).
// Soft matching lets whoever controls an on-premises UPN or mail take over a cloud account, so
// each kind can be switched off (Options). A cloud user found by a soft key but owned by
// another on-premises object is a conflict: the new user is quarantined with an error naming
// both, and the rest of the export goes on (the service's duplicate attribute resiliency).
#pragma once

#include <vector>

#include "export_plan.hpp"
#include "graph/graph_client.hpp"

namespace idsync::msgraph {

// Looks up, in one round of $batch reads, the cloud users the new users of `plans` could
// match, and sets matched_id or fails the plan with the conflict.
void match_new_users(GraphClient& graph, const Options& options, std::vector<ExportPlan*>& plans);

// OData string literal: quotes doubled.
std::string odata_literal(std::string_view value);

}  // namespace idsync::msgraph
