// Export of one batch: each operation is planned (write_planner.hpp), then the writes go out in
// /Bulk requests when the service offers bulk (within maxOperations and maxPayloadSize, and
// within writes_per_interval), else one by one. Each operation gets exactly one result:
//   2xx                  OK; a create reports the new id (the answer's id, else its Location)
//   412                  the resource changed since it was read: read it again and send once
//                        more; a second 412 fails with IDSYNC_ERR_PRECONDITION
//   429, 503, 5xx        retried by the client (Retry-After); a bulk operation answered so is
//                        sent again on its own; after the retries IDSYNC_RETRY
//   404                  IDSYNC_ERR_UNKNOWN_OBJECT (a DELETE of a resource already gone too)
//   other 4xx            the kind of the scimType (uniqueness -> ALREADY_EXISTS, ...), the
//                        message naming method, path, status, scimType and detail
// A service that stays unreachable ends the batch with IDSYNC_RETRY; operations without a
// result stay pending for the next export.
#pragma once

#include <idsync/sdk.hpp>
#include <vector>

#include "client/scim_client.hpp"
#include "connector/scim_options.hpp"
#include "connector/service_discovery.hpp"

namespace idsync::scim {

void run_export(ScimClient& client, const Discovery& discovery, const Options& options,
                const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results,
                const sdk::Diag& diag);

}  // namespace idsync::scim
