// Reading SCIM JSON the way RFC 7643 section 2.1 asks: attribute names are case-insensitive,
// so "userName", "USERNAME" and "username" are the same attribute.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace idsync::scim {

// ASCII case-insensitive equality of attribute names, schema URNs and canonical values.
bool same_name(std::string_view a, std::string_view b);

// The member of `object` whose key equals `name` case-insensitively (an exact match wins);
// nullptr when there is none or when `object` is not an object.
const boost::json::value* member(const boost::json::value& object, std::string_view name);
const boost::json::value* member(const boost::json::object& object, std::string_view name);
// The same, for writing: the existing key's spelling is kept.
boost::json::value* member(boost::json::object& object, std::string_view name);

// A member's text when it is a string; nullopt otherwise.
std::optional<std::string> string_member(const boost::json::value& object, std::string_view name);
// A member's value when it is a boolean; `fallback` otherwise. Some services send "true" as
// text, which counts too.
bool bool_member(const boost::json::value& object, std::string_view name, bool fallback);
// A member's value when it is a non-negative integer (or its decimal text); nullopt otherwise.
std::optional<int64_t> int_member(const boost::json::value& object, std::string_view name);

// The text a scalar stands for in an imported value: strings as they are, booleans as
// "true"/"false", numbers in decimal; nullopt for null, objects and arrays.
std::optional<std::string> scalar_text(const boost::json::value& value);

// Parses a response body; nullopt when it is not JSON.
std::optional<boost::json::value> parse_json(std::string_view text);

}  // namespace idsync::scim
