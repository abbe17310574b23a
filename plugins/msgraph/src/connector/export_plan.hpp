// What one export operation asks of Graph, worked out before anything is sent: the body of the
// create or PATCH, the member references to add and remove, and the reads it needs first
// (current values of a multi-valued property changed value by value; a whole member list).
// An operation the service could never take (an unknown or service-set attribute, a boolean
// that is not one, a rename: Graph objects have no DN) fails here, alone.
#pragma once

#include <boost/json.hpp>
#include <idsync/sdk.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph_options.hpp"
#include "graph_schema.hpp"

namespace idsync::msgraph {

// Values added and removed of a multi-valued property other than members. Graph replaces such
// a property whole, so the current values are read and the change applied to them.
struct ValueEdit {
  std::vector<std::string> added;
  std::vector<std::string> removed;
};

struct ExportPlan {
  const sdk::ExportOp* op = nullptr;
  const ObjectTypeSchema* type = nullptr;
  std::string id;  // the object's id (empty for a create until the service assigns it)

  boost::json::object body;  // create or PATCH body (no members)
  std::map<std::string, ValueEdit> value_edits;
  std::vector<std::string> members_added;
  std::vector<std::string> members_removed;
  std::optional<std::vector<std::string>> members_replaced;  // the whole list

  // The outcome so far.
  bool failed = false;
  idsync_status status = IDSYNC_OK;
  idsync_error_kind error_kind = IDSYNC_ERR_NONE;
  std::string message;
  std::string matched_id;  // a cloud object taken over instead of creating one

  void fail(idsync_error_kind kind, std::string why, idsync_status st = IDSYNC_ERROR);
  bool active() const { return !failed; }
  bool is_add() const { return op->kind == IDSYNC_EXPORT_ADD; }
  // "user 9d0c…" or "new user jdoe@contoso.com", for messages.
  std::string label() const;
};

// Builds the plan of `op`; a plan that cannot be carried out comes back failed.
ExportPlan plan_export(const GraphSchema& schema, const Options& options, const sdk::ExportOp& op);

}  // namespace idsync::msgraph
