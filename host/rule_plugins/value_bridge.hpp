// Expression values across the rule-plugin ABI: expr::Value ⇄ idsync_value_list / typed bytes.
//
// The ABI carries every value as bytes in the encoding of its type (plugin_abi.h): INTEGER as
// decimal text, BOOLEAN as "true"/"false", DATETIME as RFC 3339 UTC, the others as they are.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <string_view>
#include <vector>

#include "expressions/value.hpp"

namespace idsync::rule_plugins {

// One argument as the plugin receives it. An idsync_value_list has one type for all its values:
// a Value whose scalars share a type keeps it; a mixed one is sent as STRING, each scalar in its
// text form (CStr's). NULL is zero values of type STRING. Borrows the string payloads of `value`,
// which must outlive this object; owns the text of numbers, booleans and datetimes.
class AbiArgument {
 public:
  // Throws std::invalid_argument when a mixed-type value holds a binary scalar (no text form).
  explicit AbiArgument(const expr::Value& value);
  AbiArgument(AbiArgument&&) = default;  // the vectors' buffers move, so pointers stay valid
  AbiArgument(const AbiArgument&) = delete;
  AbiArgument& operator=(const AbiArgument&) = delete;

  const idsync_value_list* list() const { return &list_; }

 private:
  std::vector<std::string> texts_;
  std::vector<idsync_bytes> bytes_;
  idsync_value_list list_{};
};

// The ABI encoding of one scalar.
std::string encode(const expr::Scalar& scalar);

// One value a plugin produced, as a Scalar. Throws std::invalid_argument saying what is wrong
// (`INTEGER "12a" is not a decimal 64-bit integer`) when the bytes are not valid for `type` or
// `type` is not an IDSYNC_VALUE_*.
expr::Scalar decode(idsync_value_type type, std::string_view bytes);

}  // namespace idsync::rule_plugins
