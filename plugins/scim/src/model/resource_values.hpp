// Values of flat attributes in SCIM resources, both ways: reading an imported resource and
// writing a resource to create or replace. See flat_attribute.hpp for where each shape lives.
#pragma once

#include <idsync/plugin_abi.h>

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/flat_attribute.hpp"

namespace idsync::scim {

// The values of `attribute` in `resource`, as the host's text (booleans "true"/"false",
// integers in decimal, binary decoded from base64, references the ids). Empty when absent.
// A typed entry is the first of its type, a primary one first.
std::vector<std::string> read_values(const boost::json::object& resource,
                                     const FlatAttribute& attribute);

// The JSON of one exported value for the attribute's SCIM type. Throws
// sdk::Error(IDSYNC_ERR_INVALID_VALUE) naming the attribute when the text does not fit (a
// boolean that is not "true"/"false", an integer that is not decimal).
boost::json::value json_value(const FlatAttribute& attribute, std::string_view text);

// Changes `resource` the way `op` with `values` changes the attribute (REPLACE: these are now
// all the values, none clears it; ADD; REMOVE: these values, or all when none are given).
// Adds an extension's URN to "schemas" when a value goes into the extension.
void apply_values(boost::json::object& resource, const FlatAttribute& attribute, idsync_attr_op op,
                  const std::vector<std::string_view>& values);

// The entry of a typed attribute in `resource` (the first of its type, a primary one first),
// or nullptr.
const boost::json::object* typed_entry(const boost::json::object& resource,
                                       const FlatAttribute& attribute);

}  // namespace idsync::scim
