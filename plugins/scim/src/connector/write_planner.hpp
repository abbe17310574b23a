// Turns one export operation into the one write request that carries it out, reading what
// the request depends on first:
//   ADD     matches an existing resource (externalId, then userName for users or displayName
//           for groups, by filter; match_existing) and takes it over with a PATCH (or PUT) of
//           the new values, keeping its password; else a POST of the new resource
//   UPDATE  a PATCH of the changes (patch_builder.hpp), or a PUT of the changed resource when
//           the service lacks PATCH; the resource is read first when its ETag is used, when
//           typed values change or for the PUT
//   DELETE  a DELETE
// With ETags (the service supports them and use_etags), the request carries the version read.
#pragma once

#include <idsync/sdk.hpp>
#include <optional>
#include <string>

#include "client/scim_client.hpp"
#include "connector/scim_options.hpp"
#include "connector/service_discovery.hpp"
#include "model/bulk_message.hpp"

namespace idsync::scim {

struct WriteFailure {
  idsync_status status = IDSYNC_ERROR;
  idsync_error_kind kind = IDSYNC_ERR_INVALID_VALUE;
  std::string message;
};

struct PlannedWrite {
  uint64_t op_id = 0;
  idsync_export_kind kind = IDSYNC_EXPORT_ADD;
  BulkItem request;                     // what to send (method empty: nothing to send)
  std::string anchor;                   // the resource's id, when known before the write
  std::optional<WriteFailure> failure;  // the operation failed while it was planned
  std::string note;                     // for the log: "took over /Users/… by userName"
};

class WritePlanner {
 public:
  WritePlanner(ScimClient& client, const Discovery& discovery, const Options& options)
      : client_(client), discovery_(discovery), options_(options) {}

  // Reads and plans. Failures of the operation itself come back in `failure`; a service that
  // cannot be reached throws sdk::Error (IDSYNC_RETRY), which ends the batch.
  PlannedWrite plan(const sdk::ExportOp& op);

 private:
  PlannedWrite plan_add(const sdk::ExportOp& op, const ResourceModel& model);
  PlannedWrite plan_update(const sdk::ExportOp& op, const ResourceModel& model);
  // The resource with `filter`, when exactly one has it; a failure when several do.
  std::optional<boost::json::object> find_one(const ResourceModel& model, const std::string& filter,
                                              std::optional<WriteFailure>& failure);
  bool etags() const { return discovery_.features.etag && options_.use_etags; }

  ScimClient& client_;
  const Discovery& discovery_;
  const Options& options_;
};

// A resource's version (meta.version), or "".
std::string resource_version(const boost::json::object& resource);

}  // namespace idsync::scim
