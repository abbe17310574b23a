#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

template <class Object>
auto find_member(Object& object, std::string_view name) -> decltype(&object.begin()->value()) {
  if (auto exact = object.find(name); exact != object.end()) return &exact->value();
  for (auto& entry : object)
    if (same_name(entry.key(), name)) return &entry.value();
  return nullptr;
}

}  // namespace

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

const boost::json::value* member(const boost::json::value& object, std::string_view name) {
  return object.is_object() ? member(object.get_object(), name) : nullptr;
}

const boost::json::value* member(const boost::json::object& object, std::string_view name) {
  return find_member(object, name);
}

boost::json::value* member(boost::json::object& object, std::string_view name) {
  return find_member(object, name);
}

std::optional<std::string> string_member(const boost::json::value& object, std::string_view name) {
  const auto* v = member(object, name);
  if (v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

bool bool_member(const boost::json::value& object, std::string_view name, bool fallback) {
  const auto* v = member(object, name);
  if (!v) return fallback;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) {
    if (same_name(v->get_string(), "true")) return true;
    if (same_name(v->get_string(), "false")) return false;
  }
  return fallback;
}

std::optional<int64_t> int_member(const boost::json::value& object, std::string_view name) {
  const auto* v = member(object, name);
  if (!v) return std::nullopt;
  if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX))
    return static_cast<int64_t>(v->get_uint64());
  if (v->is_string() && !v->get_string().empty() && v->get_string().size() < 19) {
    int64_t n = 0;
    for (const char c : v->get_string()) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  }
  return std::nullopt;
}

std::optional<std::string> scalar_text(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return value.get_bool() ? "true" : "false";
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  if (value.is_double()) return boost::json::serialize(value);
  return std::nullopt;
}

std::optional<boost::json::value> parse_json(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return std::nullopt;
  return v;
}

}  // namespace idsync::scim
