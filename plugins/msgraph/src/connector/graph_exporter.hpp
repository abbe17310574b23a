// Export of users and groups, in rounds of JSON $batch requests (twenty to a request, each
// sub-request answered on its own):
//   1. reads: cloud users a new user may match (user_matcher.hpp), current values of
//      multi-valued properties changed value by value, current members of a group whose whole
//      member list is replaced;
//   2. writes: create (POST), take over a matched user (PATCH), update (PATCH), delete;
//   3. members: one $ref add or remove per member, so each is judged alone (a member already
//      there or already gone is a success).
// Every operation gets exactly one result. A create the service accepted is reported with its
// id even when a later round fails, so that it is never created twice; what its later round
// missed shows up when the next import confirms the export, and the next sync sends it again.
// When the service cannot be reached even after the client's retries, the operations not yet
// done are left to the host (which marks them to retry) and the export stops.
#pragma once

#include <idsync/sdk.hpp>
#include <vector>

#include "graph/graph_client.hpp"
#include "graph_options.hpp"
#include "graph_schema.hpp"

namespace idsync::msgraph {

void run_export(GraphClient& graph, const GraphSchema& schema, const Options& options,
                const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results,
                const sdk::Diag& diag);

}  // namespace idsync::msgraph
