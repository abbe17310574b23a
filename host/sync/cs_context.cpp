#include "sync/cs_context.hpp"

namespace idsync::sync {

expr::Scalar to_scalar(idsync_value_type type, const std::string& text) {
  switch (type) {
    case IDSYNC_VALUE_BINARY:
      return expr::Scalar::binary(text);
    case IDSYNC_VALUE_INTEGER:
      if (auto n = expr::parse_integer(text)) return expr::Scalar::integer(*n);
      break;
    case IDSYNC_VALUE_BOOLEAN:
      if (store::iequals(text, "true")) return expr::Scalar::boolean(true);
      if (store::iequals(text, "false")) return expr::Scalar::boolean(false);
      break;
    case IDSYNC_VALUE_REFERENCE:
      return expr::Scalar::reference(text);
    case IDSYNC_VALUE_DATETIME:
      if (auto t = expr::parse_datetime(text)) return expr::Scalar::datetime(*t);
      break;
    default:
      break;
  }
  return expr::Scalar::string(text);
}

StoredValues to_stored(const expr::Value& value) {
  StoredValues out;
  if (value.is_null()) return out;
  // expr::ValueType uses the SDK's numbering (checked in expressions/value.cpp).
  out.type = static_cast<idsync_value_type>(value[0].type);
  out.values.reserve(value.size());
  for (const expr::Scalar& s : value) {
    switch (s.type) {
      case expr::ValueType::binary:
        out.values.push_back(s.bytes);
        break;
      case expr::ValueType::boolean:
        out.values.emplace_back(s.number ? "true" : "false");
        break;
      default:
        out.values.push_back(expr::to_text(s).value_or(std::string()));
        break;
    }
  }
  return out;
}

const expr::Value* CsContext::attribute(std::string_view name) const {
  std::string key = store::lowercase(name);
  if (auto it = converted_.find(key); it != converted_.end()) return &it->second;
  const store::Attribute* a = object_.find(name);
  if (!a) return nullptr;
  expr::Value v;
  for (const std::string& text : a->values) v.push_back(to_scalar(a->type, text));
  return &converted_.emplace(std::move(key), std::move(v)).first->second;
}

sync_rules::AttributeSource CsContext::attribute_source() const {
  return [this](std::string_view name) -> std::span<const std::string> {
    const store::Attribute* a = object_.find(name);
    if (!a) return {};
    return std::span<const std::string>(a->values);
  };
}

}  // namespace idsync::sync
