#include "model/patch_builder.hpp"

#include <map>

#include "model/filter_text.hpp"
#include "model/json_access.hpp"
#include "model/resource_values.hpp"

namespace idsync::scim {

namespace {

constexpr std::string_view kPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

bool clears(const AttributeChange& c) { return c.values.empty() || c.op == IDSYNC_ATTR_REMOVE; }

boost::json::array items(const FlatAttribute& a, const std::vector<std::string_view>& values) {
  boost::json::array out;
  for (const std::string_view v : values) {
    if (a.shape == Shape::kValueList)
      out.push_back(boost::json::object{{"value", json_value(a, v)}});
    else
      out.push_back(json_value(a, v));
  }
  return out;
}

void list_ops(const AttributeChange& c, std::vector<PatchOperation>& out) {
  const FlatAttribute& a = *c.attribute;
  const std::string path = a.patch_path();
  switch (c.op) {
    case IDSYNC_ATTR_REPLACE:
      if (c.values.empty())
        out.push_back({"remove", path, std::nullopt});
      else
        out.push_back({"replace", path, items(a, c.values)});
      return;
    case IDSYNC_ATTR_ADD:
      if (!c.values.empty()) out.push_back({"add", path, items(a, c.values)});
      return;
    default:  // IDSYNC_ATTR_REMOVE
      if (c.values.empty()) {
        out.push_back({"remove", path, std::nullopt});
        return;
      }
      for (const std::string_view v : c.values)
        out.push_back({"remove", path + "[value eq " + filter_string(v) + "]", std::nullopt});
  }
}

// Whether `entry` holds anything besides its type, primary flag, display text and `sub`.
bool only_holds(const boost::json::object& entry, std::string_view sub) {
  for (const auto& kv : entry)
    if (!same_name(kv.key(), "type") && !same_name(kv.key(), "primary") &&
        !same_name(kv.key(), "display") && !same_name(kv.key(), sub))
      return false;
  return true;
}

}  // namespace

std::vector<PatchOperation> build_patch(const std::vector<AttributeChange>& changes,
                                        const boost::json::object* current) {
  std::vector<PatchOperation> out;
  // New typed entries, one per attribute and type, so that addresses.work.locality and
  // addresses.work.postalCode become one entry.
  std::map<std::pair<std::string, std::string>, boost::json::object> new_entries;
  std::vector<std::pair<std::string, std::string>> new_entry_order;

  for (const AttributeChange& c : changes) {
    const FlatAttribute& a = *c.attribute;
    switch (a.shape) {
      case Shape::kSimple:
        if (a.multi) {
          list_ops(c, out);
        } else if (clears(c)) {
          out.push_back({"remove", a.patch_path(), std::nullopt});
        } else {
          out.push_back({"replace", a.patch_path(), json_value(a, c.values.front())});
        }
        break;
      case Shape::kSubAttribute:
        if (clears(c))
          out.push_back({"remove", a.patch_path(), std::nullopt});
        else
          out.push_back({"replace", a.patch_path(), json_value(a, c.values.front())});
        break;
      case Shape::kSingleRef:
        if (clears(c))
          out.push_back({"remove", a.patch_path(), std::nullopt});
        else
          out.push_back({"replace", a.patch_path(),
                         boost::json::object{{"value", json_value(a, c.values.front())}}});
        break;
      case Shape::kValueList:
        list_ops(c, out);
        break;
      case Shape::kTyped: {
        const boost::json::object* entry = current ? typed_entry(*current, a) : nullptr;
        if (clears(c)) {
          if (current && !entry) break;  // nothing to clear
          if (entry && only_holds(*entry, a.sub))
            out.push_back({"remove", a.entry_path(), std::nullopt});
          else
            out.push_back({"remove", a.patch_path(), std::nullopt});
          break;
        }
        if (!current || entry) {
          out.push_back({"replace", a.patch_path(), json_value(a, c.values.front())});
          break;
        }
        const auto key = std::pair{a.parent_path(), a.type_value};
        auto [it, inserted] = new_entries.try_emplace(key);
        if (inserted) {
          new_entry_order.push_back(key);
          it->second["type"] = a.type_value;
        }
        it->second[a.sub] = json_value(a, c.values.front());
        break;
      }
    }
  }
  for (const auto& key : new_entry_order)
    out.push_back({"add", key.first, boost::json::array{new_entries[key]}});
  return out;
}

boost::json::object patch_request(const std::vector<PatchOperation>& operations) {
  boost::json::array ops;
  for (const PatchOperation& o : operations) {
    boost::json::object op{{"op", o.op}, {"path", o.path}};
    if (o.value) op["value"] = *o.value;
    ops.push_back(std::move(op));
  }
  return boost::json::object{{"schemas", boost::json::array{kPatchOp}}, {"Operations", ops}};
}

}  // namespace idsync::scim
