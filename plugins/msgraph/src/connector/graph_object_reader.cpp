#include "graph_object_reader.hpp"

#include "graph_values.hpp"

namespace idsync::msgraph {

namespace {

bool is_group(const ObjectTypeSchema& type) { return type.name() == "group"; }

bool pushable(const Property& p) {
  return !p.secret && p.name != kMembersAttribute && p.name != kAnchorAttribute;
}

// The properties of a STATE record: those with a value (null and absent alike are none).
void push_state_properties(sdk::ImportWriter& out, const ObjectTypeSchema& type,
                           const boost::json::object& object) {
  for (const Property& p : type.properties()) {
    if (!pushable(p)) continue;
    const auto* value = object.if_contains(p.name);
    if (value == nullptr) continue;
    const std::vector<std::string> values = values_of(*value);
    if (!values.empty()) out.attr(p.name, values, p.type);
  }
}

void push_members(sdk::ImportWriter& out, const std::vector<std::string>& ids, idsync_attr_op op) {
  out.attr(kMembersAttribute, ids, IDSYNC_VALUE_REFERENCE, op);
}

}  // namespace

bool is_member_type(const boost::json::object& entry) {
  const auto* type = entry.if_contains("@odata.type");
  if (type == nullptr || !type->is_string()) return true;  // a list asked for users or groups
  const std::string_view t = type->get_string();
  return t == "#microsoft.graph.user" || t == "#microsoft.graph.group";
}

MemberChanges member_delta(const boost::json::object& group) {
  MemberChanges changes;
  const auto* delta = group.if_contains("members@delta");
  if (delta == nullptr || !delta->is_array()) return changes;
  for (const boost::json::value& item : delta->get_array()) {
    if (!item.is_object()) continue;
    const boost::json::object& entry = item.get_object();
    const auto* id = entry.if_contains("id");
    if (id == nullptr || !id->is_string() || !is_member_type(entry)) continue;
    auto& list = entry.contains("@removed") ? changes.removed : changes.added;
    list.emplace_back(id->get_string());
  }
  return changes;
}

std::string object_id(const boost::json::object& object, std::string_view type) {
  const auto* id = object.if_contains("id");
  if (id == nullptr || !id->is_string() || id->get_string().empty())
    throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                     "the service returned a " + std::string(type) + " without an id",
                     IDSYNC_ERROR);
  return std::string(id->get_string());
}

void push_whole(sdk::ImportWriter& out, const ObjectTypeSchema& type,
                const boost::json::object& object, const std::vector<std::string>* members) {
  out.begin(IDSYNC_CHANGE_STATE, type.name(), object_id(object, type.name()));
  push_state_properties(out, type, object);
  if (members != nullptr && !members->empty()) push_members(out, *members, IDSYNC_ATTR_REPLACE);
  out.end();
}

void push_changed(sdk::ImportWriter& out, const ObjectTypeSchema& type,
                  const boost::json::object& object, const MemberChanges& members) {
  const std::string id = object_id(object, type.name());
  if (object.contains("@removed")) {
    // "changed" (soft-deleted, restorable) and "deleted" both take it out of the directory.
    out.begin(IDSYNC_CHANGE_DELETE, type.name(), id);
    out.end();
    return;
  }
  if (!is_group(type)) {
    // The service sends a changed user with every selected property that has a value (one
    // set to null comes as null): its whole state.
    out.begin(IDSYNC_CHANGE_STATE, type.name(), id);
    push_state_properties(out, type, object);
    out.end();
    return;
  }
  // A group's members come as changes, and a group spread over several pages may repeat
  // itself with members alone: an update of what it carries.
  out.begin(IDSYNC_CHANGE_UPDATE, type.name(), id);
  for (const Property& p : type.properties()) {
    if (!pushable(p)) continue;
    const auto* value = object.if_contains(p.name);
    if (value == nullptr) continue;
    out.attr(p.name, values_of(*value), p.type, IDSYNC_ATTR_REPLACE);
  }
  if (!members.added.empty()) push_members(out, members.added, IDSYNC_ATTR_ADD);
  if (!members.removed.empty()) push_members(out, members.removed, IDSYNC_ATTR_REMOVE);
  out.end();
}

}  // namespace idsync::msgraph
