#include "manifest/json_access.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "manifest/json_path.hpp"
#include "manifest/paths.hpp"
#include "manifest/suggest.hpp"

namespace idsync::manifest {

namespace json = boost::json;

std::string_view describe_kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "a string";
    case json::kind::int64:
    case json::kind::uint64:
      return "a number";
    case json::kind::double_: {
      const double d = v.get_double();
      return std::trunc(d) == d ? "a number" : "a fractional number";
    }
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "an unknown value";
}

std::string expected_found(std::string_view what, const json::value& v) {
  std::string out = "expected ";
  out += what;
  out += ", found ";
  out += describe_kind(v);
  return out;
}

std::string integer_expectation(std::int64_t min, std::int64_t max) {
  if (min >= max) return "an integer";
  return "an integer " + std::to_string(min) + ".." + std::to_string(max);
}

std::string one_of_expectation(const std::vector<std::string_view>& allowed) {
  std::string out = "one of ";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (i) out += ", ";
    out += '"';
    out += allowed[i];
    out += '"';
  }
  return out;
}

void check_known_keys(const json::object& object, std::string_view path,
                      const std::vector<std::string_view>& known,
                      std::vector<Diagnostic>& problems) {
  for (const auto& member : object) {
    const std::string_view key(member.key().data(), member.key().size());
    bool found = false;
    for (std::string_view k : known) found = found || k == key;
    if (!found)
      problems.push_back(
          {member_path(path, key), std::string(kUnknownKey) + did_you_mean(key, known)});
  }
}

std::optional<std::int64_t> read_integer(const json::value& v, std::int64_t min, std::int64_t max,
                                         const std::string& path,
                                         std::vector<Diagnostic>& problems) {
  const std::string expectation = integer_expectation(min, max);
  if (min >= max) {
    min = std::numeric_limits<std::int64_t>::min();
    max = std::numeric_limits<std::int64_t>::max();
  }
  std::optional<std::int64_t> n;
  bool integral = true;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    // Above INT64_MAX by construction: always out of range.
  } else if (v.is_double()) {
    const double d = v.get_double();
    integral = std::trunc(d) == d;
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (integral && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
      n = static_cast<std::int64_t>(d);
  } else {
    problems.push_back({path, expected_found(expectation, v)});
    return std::nullopt;
  }
  if (!integral) {
    problems.push_back({path, expected_found(expectation, v)});
    return std::nullopt;
  }
  if (!n || *n < min || *n > max) {
    problems.push_back(
        {path, "expected " + (expectation == "an integer" ? "an integer that fits in 64 bits"
                                                          : expectation)});
    return std::nullopt;
  }
  return n;
}

ObjectReader::ObjectReader(const json::object& object, std::string path,
                           std::vector<std::string_view> known, std::vector<Diagnostic>& problems)
    : object_(object), path_(std::move(path)), problems_(problems) {
  check_known_keys(object_, path_, known, problems_);
}

std::string ObjectReader::path_of(std::string_view key) const { return member_path(path_, key); }

void ObjectReader::error(std::string_view key, std::string message) {
  problems_.push_back({path_of(key), std::move(message)});
}

const json::value* ObjectReader::find(std::string_view key, Need need) {
  const json::value* v = object_.if_contains(json::string_view(key.data(), key.size()));
  if (!v && need == Need::kRequired) error(key, std::string(kMissingRequired));
  return v;
}

std::optional<std::string> ObjectReader::string(std::string_view key, Need need) {
  const json::value* v = find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, expected_found("a string", *v));
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::string> ObjectReader::name(std::string_view key, Need need) {
  auto s = string(key, need);
  if (s && s->empty()) {
    error(key, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> ObjectReader::boolean(std::string_view key, Need need) {
  const json::value* v = find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    error(key, expected_found("a boolean", *v));
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max, Need need) {
  const json::value* v = find(key, need);
  if (!v) return std::nullopt;
  return read_integer(*v, min, max, path_of(key), problems_);
}

const json::object* ObjectReader::object(std::string_view key, Need need) {
  const json::value* v = find(key, need);
  if (!v) return nullptr;
  if (!v->is_object()) {
    error(key, expected_found("an object", *v));
    return nullptr;
  }
  return &v->get_object();
}

const json::array* ObjectReader::array(std::string_view key, Need need) {
  const json::value* v = find(key, need);
  if (!v) return nullptr;
  if (!v->is_array()) {
    error(key, expected_found("an array", *v));
    return nullptr;
  }
  return &v->get_array();
}

std::optional<std::filesystem::path> ObjectReader::path(std::string_view key,
                                                        const std::filesystem::path& base_dir,
                                                        Need need) {
  auto s = name(key, need);
  if (!s) return std::nullopt;
  return resolve_path(base_dir, *s);
}

std::optional<std::vector<std::string>> ObjectReader::names(std::string_view key, Need need) {
  const json::value* v = find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    error(key, expected_found("an array of strings", *v));
    return std::nullopt;
  }
  const json::array* a = &v->get_array();
  std::vector<std::string> out;
  const std::string where = path_of(key);
  for (std::size_t i = 0; i < a->size(); ++i) {
    const json::value& item = (*a)[i];
    if (!item.is_string()) {
      problems_.push_back({index_path(where, i), expected_found("a string", item)});
    } else if (item.get_string().empty()) {
      problems_.push_back({index_path(where, i), "must not be empty"});
    } else if (std::find(out.begin(), out.end(), item.get_string()) != out.end()) {
      problems_.push_back(
          {index_path(where, i), "\"" + std::string(item.get_string()) + "\" is listed twice"});
    } else {
      out.emplace_back(item.get_string());
    }
  }
  return out;
}

std::optional<std::string> ObjectReader::one_of(std::string_view key,
                                                const std::vector<std::string_view>& allowed,
                                                Need need) {
  const json::value* v = find(key, need);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, expected_found(one_of_expectation(allowed), *v));
    return std::nullopt;
  }
  const std::string_view s(v->get_string().data(), v->get_string().size());
  for (std::string_view a : allowed)
    if (a == s) return std::string(s);
  error(key, "expected " + one_of_expectation(allowed) + did_you_mean(s, allowed));
  return std::nullopt;
}

}  // namespace idsync::manifest
