#include "export_plan.hpp"

#include "graph_values.hpp"

namespace idsync::msgraph {

namespace {

std::vector<std::string> texts(const sdk::AttrView& a) {
  return std::vector<std::string>(a.values.begin(), a.values.end());
}

void plan_members(ExportPlan& plan, const sdk::AttrView& a) {
  switch (a.op) {
    case IDSYNC_ATTR_ADD:
      for (std::string_view v : a.values) plan.members_added.emplace_back(v);
      return;
    case IDSYNC_ATTR_REMOVE:
      for (std::string_view v : a.values) plan.members_removed.emplace_back(v);
      return;
    default:
      if (plan.is_add())
        plan.members_added = texts(a);
      else
        plan.members_replaced = texts(a);
  }
}

void plan_password(ExportPlan& plan, const Options& options, const sdk::AttrView& a) {
  if (a.values.empty()) return;  // a password is never cleared
  plan.body["passwordProfile"] =
      boost::json::object{{"password", std::string(a.values.front())},
                          {"forceChangePasswordNextSignIn", options.force_password_change}};
}

void plan_attribute(ExportPlan& plan, const Options& options, const sdk::AttrView& a) {
  const Property* p = plan.type->find(a.name);
  if (p == nullptr)
    throw sdk::Error(IDSYNC_ERR_INVALID_VALUE, "attribute " + std::string(a.name) + " is not a " +
                                                   plan.type->name() +
                                                   " property this connector writes");
  if (p->read_only)
    throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                     "attribute " + p->name + " is set by the service and cannot be written");
  if (p->name == kMembersAttribute) return plan_members(plan, a);
  if (p->secret) return plan_password(plan, options, a);
  if (p->multi && !plan.is_add() && a.op != IDSYNC_ATTR_REPLACE) {
    ValueEdit& edit = plan.value_edits[p->name];
    auto& into = a.op == IDSYNC_ATTR_ADD ? edit.added : edit.removed;
    for (std::string_view v : a.values) into.emplace_back(v);
    return;
  }
  if (plan.is_add() && a.values.empty()) return;  // nothing to say about an absent value
  plan.body[p->name] = json_of(*p, texts(a));
}

}  // namespace

void ExportPlan::fail(idsync_error_kind kind, std::string why, idsync_status st) {
  if (failed) return;  // the first failure is the one worth reading
  failed = true;
  status = st;
  error_kind = kind;
  message = std::move(why);
}

std::string ExportPlan::label() const {
  const std::string type_name = type != nullptr ? type->name() : std::string(op->object_type);
  if (!id.empty()) return type_name + " " + id;
  for (const char* key : {"userPrincipalName", "displayName", "mailNickname"})
    if (const auto* v = body.if_contains(key); v != nullptr && v->is_string())
      return "new " + type_name + " " + std::string(v->get_string());
  return "new " + type_name;
}

ExportPlan plan_export(const GraphSchema& schema, const Options& options, const sdk::ExportOp& op) {
  ExportPlan plan;
  plan.op = &op;
  plan.type = schema.type(op.object_type);
  plan.id = std::string(op.anchor);
  if (plan.type == nullptr) {
    plan.fail(IDSYNC_ERR_INVALID_VALUE,
              "object type " + std::string(op.object_type) + " is not one this connector writes");
    return plan;
  }
  if (!op.new_dn.empty()) {
    plan.fail(IDSYNC_ERR_INVALID_VALUE,
              "a rename to \"" + std::string(op.new_dn) +
                  "\": Microsoft Graph objects have no DN (change displayName or "
                  "userPrincipalName instead)");
    return plan;
  }
  if (op.kind != IDSYNC_EXPORT_ADD && plan.id.empty()) {
    plan.fail(IDSYNC_ERR_UNKNOWN_OBJECT, "the operation names no object id");
    return plan;
  }
  if (op.kind == IDSYNC_EXPORT_DELETE) return plan;
  try {
    for (const sdk::AttrView& a : op.attributes) plan_attribute(plan, options, a);
  } catch (const sdk::Error& e) {
    plan.fail(e.kind(), e.what());
  }
  return plan;
}

}  // namespace idsync::msgraph
