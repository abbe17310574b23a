// The connector's `test` hook: signs in (the token endpoint judges the tenant, the client and
// its credential), then, for each object type, reads one object and starts a delta round from
// now, which needs the read permissions the imports need. It fails with one message listing
// every check that failed, so that an admin fixes everything in one round. Nothing is written.
#pragma once

#include <idsync/sdk.hpp>

#include "graph/graph_client.hpp"
#include "graph_schema.hpp"

namespace idsync::msgraph {

void check_connection(GraphClient& graph, const GraphSchema& schema, const sdk::Diag& diag);

}  // namespace idsync::msgraph
