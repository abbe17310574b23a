// Whether a value's bytes are what its idsync_value_type promises (plugin_abi.h, Values). The
// host stores and compares values as bytes, so "42" and "042" would be different values and a
// malformed datetime would only fail much later, in a sync rule.
#pragma once

#include <idsync/plugin_abi.h>

#include <optional>
#include <string>
#include <string_view>

namespace idsync::contract {

// What is wrong with `value` for `type` ("expected ..."), or nothing when it is well-formed or
// the type is undefined (reported separately).
std::optional<std::string> value_problem(idsync_value_type type, std::string_view value);

bool is_known_value_type(idsync_value_type type);
bool is_known_attr_op(idsync_attr_op op);
std::string value_type_name(idsync_value_type type);

}  // namespace idsync::contract
