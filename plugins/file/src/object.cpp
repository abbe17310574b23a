#include "object.hpp"

#include <algorithm>

namespace idsync::file {

OwnedObject OwnedObject::from(const Record& record) {
  OwnedObject o;
  o.object_type = std::string(record.object_type);
  o.anchor = std::string(record.anchor);
  o.dn = std::string(record.dn);
  for (const Attribute& a : record.attributes()) {
    OwnedAttribute oa;
    oa.name = std::string(a.name);
    oa.type = a.type;
    oa.values.assign(a.values.begin(), a.values.end());
    o.attributes.push_back(std::move(oa));
  }
  return o;
}

OwnedAttribute* OwnedObject::find(std::string_view name, const FormatOptions& options) {
  for (OwnedAttribute& a : attributes)
    if (options.same_name(a.name, name)) return &a;
  return nullptr;
}

const OwnedAttribute* OwnedObject::find(std::string_view name, const FormatOptions& options) const {
  for (const OwnedAttribute& a : attributes)
    if (options.same_name(a.name, name)) return &a;
  return nullptr;
}

void OwnedObject::erase(std::string_view name, const FormatOptions& options) {
  attributes.erase(
      std::remove_if(attributes.begin(), attributes.end(),
                     [&](const OwnedAttribute& a) { return options.same_name(a.name, name); }),
      attributes.end());
}

void apply_attribute(OwnedObject& object, const sdk::AttrView& change,
                     const FormatOptions& options) {
  OwnedAttribute* a = object.find(change.name, options);
  switch (change.op) {
    case IDSYNC_ATTR_REPLACE:
      if (change.values.empty()) {
        object.erase(change.name, options);
        return;
      }
      if (a == nullptr) {
        object.attributes.push_back(OwnedAttribute{std::string(change.name), change.type, {}});
        a = &object.attributes.back();
      }
      a->type = change.type;
      a->values.assign(change.values.begin(), change.values.end());
      return;
    case IDSYNC_ATTR_ADD:
      if (change.values.empty()) return;
      if (a == nullptr) {
        object.attributes.push_back(OwnedAttribute{std::string(change.name), change.type, {}});
        a = &object.attributes.back();
      }
      for (std::string_view v : change.values)
        if (std::find(a->values.begin(), a->values.end(), v) == a->values.end())
          a->values.emplace_back(v);
      return;
    case IDSYNC_ATTR_REMOVE:
      if (a == nullptr) return;
      if (change.values.empty()) {
        object.erase(change.name, options);
        return;
      }
      for (std::string_view v : change.values)
        a->values.erase(std::remove(a->values.begin(), a->values.end(), v), a->values.end());
      if (a->values.empty()) object.erase(change.name, options);
      return;
  }
}

}  // namespace idsync::file
