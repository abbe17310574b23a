// PATCH operations (RFC 7644 section 3.5.2) for the changes of one exported update, value by
// value where SCIM allows it:
//   single value, sub-attribute     replace <path> / remove <path> when cleared
//   reference (manager)             replace <path> {"value": id} / remove <path>
//   value list (members), list      add <path> [values] / remove <path>[value eq "v"] per value /
//                                   replace <path> [values] for a REPLACE / remove <path>
//   typed value (emails.work)       replace emails[type eq "work"].value when the resource
//                                   has a work entry; add emails [{"type":"work","value":…}]
//                                   when it has none (a replace through a filter that matches
//                                   nothing is refused with noTarget); when cleared, remove the
//                                   whole entry if nothing else is in it, else only the value
// `current` is the resource as read just before, when the exporter read it; without it typed
// values are replaced through their value path.
#pragma once

#include <idsync/plugin_abi.h>

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/flat_attribute.hpp"

namespace idsync::scim {

struct AttributeChange {
  const FlatAttribute* attribute;
  idsync_attr_op op;
  std::vector<std::string_view> values;
};

struct PatchOperation {
  std::string op;  // "add", "replace", "remove"
  std::string path;
  std::optional<boost::json::value> value;

  bool operator==(const PatchOperation&) const = default;
};

// Throws sdk::Error(IDSYNC_ERR_INVALID_VALUE) for a value that does not fit its attribute.
std::vector<PatchOperation> build_patch(const std::vector<AttributeChange>& changes,
                                        const boost::json::object* current);

// {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[…]}
boost::json::object patch_request(const std::vector<PatchOperation>& operations);

}  // namespace idsync::scim
