// Full and delta imports of users and groups.
//
// Full import: first the delta round of each type is asked to start from now
// ($deltatoken=latest), then every object is read from /users and /groups (with each group's
// whole member list). The watermark is taken before the reading, so a change made while the
// import runs is seen again by the next delta import rather than lost.
//
// Delta import: each type's deltaLink is read through its nextLinks (a page may be empty and
// still carry one) to the next deltaLink, which becomes the watermark. Deleted objects (
// @removed) are deletes; members@delta are value changes of `members`; a group the service
// spreads over several pages is pushed once per page, each an update the host applies in turn.
// A token the service no longer holds stops the import with PRECONDITION: the host then asks
// for a full import.
//
// Both commit a checkpoint after each page: the object type and the service's link onward.
#pragma once

#include <idsync/sdk.hpp>

#include "delta_watermark.hpp"
#include "graph/graph_client.hpp"
#include "graph_options.hpp"
#include "graph_schema.hpp"

namespace idsync::msgraph {

void run_full_import(GraphClient& graph, const GraphSchema& schema, const Options& options,
                     const sdk::ImportRequest& request, sdk::ImportWriter& out);

void run_delta_import(GraphClient& graph, const GraphSchema& schema, const Options& options,
                      const sdk::ImportRequest& request, sdk::ImportWriter& out);

// Delta rounds of every type starting from now, for a watermark without reading anything.
DeltaWatermark latest_watermark(GraphClient& graph, const GraphSchema& schema);

}  // namespace idsync::msgraph
