#include "rule_plugins/value_bridge.hpp"

#include <stdexcept>

namespace idsync::rule_plugins {

namespace {

idsync_bytes as_bytes(std::string_view s) {
  return idsync_bytes{reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// String-like payloads travel as they are; only numbers need text of their own.
bool borrowable(expr::ValueType t) {
  return t == expr::ValueType::string || t == expr::ValueType::binary ||
         t == expr::ValueType::reference;
}

}  // namespace

std::string encode(const expr::Scalar& s) {
  switch (s.type) {
    case expr::ValueType::integer:
      return std::to_string(s.number);
    case expr::ValueType::boolean:
      return s.number ? "true" : "false";
    case expr::ValueType::datetime:
      return expr::format_datetime(s.number);
    case expr::ValueType::string:
    case expr::ValueType::binary:
    case expr::ValueType::reference:
      break;
  }
  return s.bytes;
}

AbiArgument::AbiArgument(const expr::Value& value) {
  bool mixed = false;
  for (const expr::Scalar& s : value) mixed |= s.type != value[0].type;
  const expr::ValueType type = value.is_null() || mixed ? expr::ValueType::string : value[0].type;

  // Texts first, all of them, so that no later push_back moves a string we already point into.
  texts_.reserve(value.size());
  for (const expr::Scalar& s : value) {
    if (mixed) {
      auto text = expr::to_text(s);
      if (!text)
        throw std::invalid_argument(
            "a multi-valued argument mixing binary with other types cannot be passed to a plugin");
      texts_.push_back(std::move(*text));
    } else if (!borrowable(s.type)) {
      texts_.push_back(encode(s));
    }
  }
  std::size_t next_text = 0;
  bytes_.reserve(value.size());
  for (const expr::Scalar& s : value)
    bytes_.push_back(mixed || !borrowable(s.type) ? as_bytes(texts_[next_text++])
                                                  : as_bytes(s.bytes));
  list_.struct_size = sizeof(idsync_value_list);
  list_.type = static_cast<idsync_value_type>(type);
  list_.values = bytes_.data();
  list_.value_count = bytes_.size();
}

expr::Scalar decode(idsync_value_type type, std::string_view bytes) {
  switch (type) {
    case IDSYNC_VALUE_STRING:
      return expr::Scalar::string(std::string(bytes));
    case IDSYNC_VALUE_BINARY:
      return expr::Scalar::binary(std::string(bytes));
    case IDSYNC_VALUE_REFERENCE:
      return expr::Scalar::reference(std::string(bytes));
    case IDSYNC_VALUE_INTEGER:
      if (auto n = expr::parse_integer(bytes)) return expr::Scalar::integer(*n);
      throw std::invalid_argument("INTEGER \"" + std::string(bytes) +
                                  "\" is not a decimal 64-bit integer");
    case IDSYNC_VALUE_BOOLEAN:
      if (bytes == "true") return expr::Scalar::boolean(true);
      if (bytes == "false") return expr::Scalar::boolean(false);
      throw std::invalid_argument("BOOLEAN \"" + std::string(bytes) +
                                  "\" is neither \"true\" nor \"false\"");
    case IDSYNC_VALUE_DATETIME:
      if (auto t = expr::parse_datetime(bytes)) return expr::Scalar::datetime(*t);
      throw std::invalid_argument("DATETIME \"" + std::string(bytes) + "\" is not RFC 3339");
  }
  throw std::invalid_argument("undefined value type " + std::to_string(type));
}

}  // namespace idsync::rule_plugins
