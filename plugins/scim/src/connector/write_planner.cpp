#include "connector/write_planner.hpp"

#include "client/scim_error.hpp"
#include "connector/scim_failure.hpp"
#include "http/url.hpp"
#include "model/filter_text.hpp"
#include "model/json_access.hpp"
#include "model/patch_builder.hpp"
#include "model/resource_values.hpp"

namespace idsync::scim {

namespace {

WriteFailure invalid(std::string message) {
  return WriteFailure{IDSYNC_ERROR, IDSYNC_ERR_INVALID_VALUE, std::move(message)};
}

// The changes of an operation against the model; a failure names an attribute the service
// does not have or does not let a client write.
std::optional<WriteFailure> changes_of(const sdk::ExportOp& op, const ResourceModel& model,
                                       bool keep_secrets, std::vector<AttributeChange>& out) {
  for (const sdk::AttrView& attr : op.attributes) {
    const FlatAttribute* a = model.find(attr.name);
    if (!a)
      return invalid("attribute " + std::string(attr.name) + " is not in the SCIM schema of " +
                     model.type.name);
    if (a->read_only())
      return invalid("attribute " + std::string(attr.name) +
                     " is read-only in SCIM resource type " + model.type.name);
    if ((a->flags & IDSYNC_ATTRINFO_SECRET) && !keep_secrets) continue;
    out.push_back(AttributeChange{a, attr.op, attr.values});
  }
  return std::nullopt;
}

bool touches_typed_values(const std::vector<AttributeChange>& changes) {
  for (const AttributeChange& c : changes)
    if (c.attribute->shape == Shape::kTyped) return true;
  return false;
}

// A resource as read, made fit to be sent back whole with PUT: without what the service sets.
boost::json::object put_body(boost::json::object resource) {
  resource.erase("meta");
  resource.erase("groups");
  return resource;
}

// The path of the resource with `id`. The id is percent-encoded as a path segment: an id is the
// service's text, and an anchor the host never had from the service (the provisional anchor of
// an object whose create has not been merged yet, which starts with a NUL byte) must reach the
// service as a name it answers 404 for, not as raw bytes in the request line.
std::string resource_path(const ResourceModel& model, std::string_view id) {
  return model.type.endpoint + "/" + http::percent_encode(id);
}

// A value of the operation's attribute `name`, or "".
std::string value_of(const sdk::ExportOp& op, std::string_view name) {
  for (const sdk::AttrView& attr : op.attributes)
    if (attr.name == name && !attr.values.empty()) return std::string(attr.values.front());
  return {};
}

}  // namespace

std::string resource_version(const boost::json::object& resource) {
  const auto* meta = member(resource, "meta");
  return meta ? string_member(*meta, "version").value_or("") : "";
}

PlannedWrite WritePlanner::plan(const sdk::ExportOp& op) {
  const ResourceModel* model = discovery_.model(op.object_type);
  if (!model) {
    PlannedWrite p;
    p.op_id = op.op_id;
    p.kind = op.kind;
    p.failure = WriteFailure{
        IDSYNC_ERROR, IDSYNC_ERR_CONFIG,
        "object type " + std::string(op.object_type) + " is not one the connector writes"};
    return p;
  }
  if (op.kind == IDSYNC_EXPORT_ADD) return plan_add(op, *model);
  PlannedWrite p;
  p.op_id = op.op_id;
  p.kind = op.kind;
  p.anchor = std::string(op.anchor);
  if (op.anchor.empty()) {
    p.failure =
        WriteFailure{IDSYNC_ERROR, IDSYNC_ERR_UNKNOWN_OBJECT, "the operation has no anchor"};
    return p;
  }
  if (op.kind == IDSYNC_EXPORT_UPDATE) return plan_update(op, *model);
  p.request = BulkItem{"DELETE", resource_path(*model, p.anchor), "", "", std::nullopt};
  return p;
}

std::optional<boost::json::object> WritePlanner::find_one(const ResourceModel& model,
                                                          const std::string& filter,
                                                          std::optional<WriteFailure>& failure) {
  const http::HttpResponse response = client_.get(model.type.endpoint + list_query(1, 2, filter));
  if (response.status == 400) return std::nullopt;  // the service cannot filter on this one
  if (response.status != 200) throw read_failure(response, "matching in " + model.type.endpoint);
  const auto body = parse_json(response.body);
  const auto* resources = body ? member(*body, "Resources") : nullptr;
  if (!resources || !resources->is_array() || resources->get_array().empty()) return std::nullopt;
  const auto& list = resources->get_array();
  if (list.size() > 1 || int_member(*body, "totalResults").value_or(1) > 1) {
    failure = WriteFailure{IDSYNC_ERROR, IDSYNC_ERR_ALREADY_EXISTS,
                           "several " + model.type.name + " resources match " + filter +
                               ": resolve the duplicates in the service"};
    return std::nullopt;
  }
  if (!list.front().is_object()) return std::nullopt;
  return list.front().get_object();
}

PlannedWrite WritePlanner::plan_add(const sdk::ExportOp& op, const ResourceModel& model) {
  PlannedWrite p;
  p.op_id = op.op_id;
  p.kind = op.kind;

  // Matching: the source anchor first, then the name the service keeps unique.
  std::optional<boost::json::object> existing;
  if (options_.match_existing && discovery_.features.filter) {
    std::vector<std::pair<std::string, std::string>> keys;
    keys.emplace_back("externalId", value_of(op, "externalId"));
    if (model.find("userName"))
      keys.emplace_back("userName", value_of(op, "userName"));
    else if (model.type.name == "Group")
      keys.emplace_back("displayName", value_of(op, "displayName"));
    for (const auto& [attribute, value] : keys) {
      if (value.empty()) continue;
      existing = find_one(model, equals_filter(attribute, value), p.failure);
      if (p.failure) return p;
      if (existing) {
        p.note = "took over an existing " + model.type.name + " by " + attribute;
        break;
      }
    }
  }

  std::vector<AttributeChange> changes;
  if (auto failure = changes_of(op, model, !existing, changes)) {
    p.failure = failure;
    return p;
  }
  try {
    if (!existing) {
      boost::json::object resource{{"schemas", boost::json::array{model.type.schema}}};
      for (const AttributeChange& c : changes)
        apply_values(resource, *c.attribute, IDSYNC_ATTR_REPLACE, c.values);
      p.request = BulkItem{"POST", model.type.endpoint, "op" + std::to_string(op.op_id), "",
                           boost::json::value(std::move(resource))};
      return p;
    }
    p.anchor = string_member(*existing, "id").value_or("");
    const std::string path = resource_path(model, p.anchor);
    const std::string version = etags() ? resource_version(*existing) : "";
    for (AttributeChange& c : changes) c.op = IDSYNC_ATTR_REPLACE;
    if (discovery_.features.patch) {
      const auto ops = build_patch(changes, &*existing);
      p.request = BulkItem{"PATCH", path, "", version, boost::json::value(patch_request(ops))};
    } else {
      boost::json::object body = put_body(*existing);
      for (const AttributeChange& c : changes)
        apply_values(body, *c.attribute, IDSYNC_ATTR_REPLACE, c.values);
      p.request = BulkItem{"PUT", path, "", version, boost::json::value(std::move(body))};
    }
  } catch (const sdk::Error& e) {
    if (e.status() == IDSYNC_RETRY) throw;
    p.failure = WriteFailure{IDSYNC_ERROR, e.kind(), e.what()};
  }
  return p;
}

PlannedWrite WritePlanner::plan_update(const sdk::ExportOp& op, const ResourceModel& model) {
  PlannedWrite p;
  p.op_id = op.op_id;
  p.kind = op.kind;
  p.anchor = std::string(op.anchor);
  const std::string path = resource_path(model, p.anchor);
  std::vector<AttributeChange> changes;
  // A password change is sent as any other change (the host plans one only when asked to).
  if (auto failure = changes_of(op, model, true, changes)) {
    p.failure = failure;
    return p;
  }
  if (changes.empty()) return p;  // a rename only: SCIM resources have no DN

  std::optional<boost::json::object> current;
  if (etags() || !discovery_.features.patch || touches_typed_values(changes)) {
    const http::HttpResponse response = client_.get(path);
    if (response.status != 200) {
      if (is_retryable(response.status)) throw read_failure(response, "reading " + path);
      const ScimError error = parse_scim_error(response);
      p.failure = WriteFailure{IDSYNC_ERROR, error_kind(error, response.status),
                               "GET " + path + ": " + describe(error, response.status)};
      return p;
    }
    const auto body = parse_json(response.body);
    if (!body || !body->is_object())
      throw sdk::Error(IDSYNC_ERR_CONNECTION, "reading " + path + ": the answer is not a resource",
                       IDSYNC_RETRY);
    current = body->get_object();
  }
  try {
    std::string version = current && etags() ? resource_version(*current) : "";
    if (discovery_.features.patch) {
      const auto ops = build_patch(changes, current ? &*current : nullptr);
      if (ops.empty()) return p;  // already as wanted
      p.request = BulkItem{"PATCH", path, "", version, boost::json::value(patch_request(ops))};
    } else {
      boost::json::object body = put_body(*current);
      for (const AttributeChange& c : changes) apply_values(body, *c.attribute, c.op, c.values);
      p.request = BulkItem{"PUT", path, "", version, boost::json::value(std::move(body))};
    }
  } catch (const sdk::Error& e) {
    if (e.status() == IDSYNC_RETRY) throw;
    p.failure = WriteFailure{IDSYNC_ERROR, e.kind(), e.what()};
  }
  return p;
}

}  // namespace idsync::scim
