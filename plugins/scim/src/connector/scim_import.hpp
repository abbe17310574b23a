// Full and delta imports: each object type's resources through startIndex/count pages, pushed
// as IDSYNC_CHANGE_STATE records with a checkpoint after each page.
//
// Full import: every resource. When a type's totalResults changes between its pages the
// service changed while it was read, and startIndex paging may then have skipped a resource:
// the import ends with all_results_returned = 0 (no deletes are staged from it) and says so.
//
// Delta import: SCIM has no change feed. With a service that filters on meta.lastModified, it
// reads each type with `meta.lastModified gt "<watermark - delta_overlap_seconds>"`. Deletes
// cannot be seen that way: the next full import finds them. Without such a filter it returns
// IDSYNC_UNSUPPORTED, and the host runs a full import in its place (and says so).
#pragma once

#include <idsync/sdk.hpp>

#include "client/scim_client.hpp"
#include "connector/scim_options.hpp"
#include "connector/service_discovery.hpp"

namespace idsync::scim {

void run_full_import(ScimClient& client, const Discovery& discovery, const Options& options,
                     const sdk::ImportRequest& request, sdk::ImportWriter& out,
                     const sdk::Diag& diag);

void run_delta_import(ScimClient& client, const Discovery& discovery, const Options& options,
                      const sdk::ImportRequest& request, sdk::ImportWriter& out,
                      const sdk::Diag& diag);

// The watermark a delta import started now would need: the service's time for every type.
std::string current_watermark(ScimClient& client, const Discovery& discovery);

}  // namespace idsync::scim
