#include "imported_page.hpp"

namespace idsync::ldap {

void write_object(const ImportedObject& object, sdk::ImportWriter& out) {
  out.begin(IDSYNC_CHANGE_STATE, object.type->name, object.anchor, object.dn, object.dn);
  out.attr(object.type->attributes.front().name, object.anchor);
  for (const auto& attribute : object.attributes)
    out.attr(attribute.name, attribute.values, attribute.type, IDSYNC_ATTR_REPLACE);
  out.end();
}

}  // namespace idsync::ldap
