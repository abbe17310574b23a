#include "manifest/plugin_config.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <set>
#include <utility>

#include "manifest/json_access.hpp"
#include "manifest/json_path.hpp"
#include "manifest/paths.hpp"
#include "manifest/secrets.hpp"
#include "manifest/suggest.hpp"

namespace idsync::manifest {

namespace json = boost::json;

// ---- ResolvedConfig ---------------------------------------------------------------------------

ResolvedConfig::ResolvedConfig(const ResolvedConfig& other) : entries_(other.entries_) {
  rebuild_views();
}

ResolvedConfig& ResolvedConfig::operator=(const ResolvedConfig& other) {
  if (this != &other) {
    entries_ = other.entries_;
    rebuild_views();
  }
  return *this;
}

void ResolvedConfig::rebuild_views() {
  item_views_.assign(entries_.size(), {});
  values_.assign(entries_.size(), idsync_config_value{});
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    for (const auto& item : e.items) item_views_[i].push_back({item.data(), item.size()});
    idsync_config_value& v = values_[i];
    v.struct_size = sizeof(idsync_config_value);
    v.name = {e.name.data(), e.name.size()};
    v.type = e.type;
    v.is_set = e.set ? 1 : 0;
    v.text = {e.text.data(), e.text.size()};
    v.integer = e.integer;
    v.items = item_views_[i].empty() ? nullptr : item_views_[i].data();
    v.item_count = item_views_[i].size();
  }
}

const ResolvedConfig::Entry* ResolvedConfig::entry(std::string_view name) const {
  for (const Entry& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

const idsync_config_value* ResolvedConfig::find(std::string_view name) const {
  const Entry* e = entry(name);
  return e ? &values_[static_cast<std::size_t>(e - entries_.data())] : nullptr;
}

bool ResolvedConfig::is_set(std::string_view name) const {
  const Entry* e = entry(name);
  return e && e->set;
}

std::optional<std::string_view> ResolvedConfig::text(std::string_view name) const {
  const Entry* e = entry(name);
  if (!e || !e->set || (e->type != IDSYNC_CONFIG_STRING && e->type != IDSYNC_CONFIG_PATH))
    return std::nullopt;
  return std::string_view(e->text);
}

std::optional<std::int64_t> ResolvedConfig::integer(std::string_view name) const {
  const Entry* e = entry(name);
  if (!e || !e->set || e->type != IDSYNC_CONFIG_INTEGER) return std::nullopt;
  return e->integer;
}

std::optional<bool> ResolvedConfig::boolean(std::string_view name) const {
  const Entry* e = entry(name);
  if (!e || !e->set || e->type != IDSYNC_CONFIG_BOOLEAN) return std::nullopt;
  return e->integer != 0;
}

std::vector<std::string_view> ResolvedConfig::list(std::string_view name) const {
  std::vector<std::string_view> out;
  if (const Entry* e = entry(name); e && e->set)
    for (const auto& item : e->items) out.push_back(item);
  return out;
}

bool ResolvedConfig::is_secret(std::string_view name) const {
  const Entry* e = entry(name);
  return e && e->secret;
}

json::object ResolvedConfig::redacted() const {
  json::object out;
  for (const Entry& e : entries_) {
    if (!e.set) continue;
    json::value& v = out[e.name];
    if (e.secret) {
      v = "<secret>";
    } else if (e.type == IDSYNC_CONFIG_INTEGER) {
      v = e.integer;
    } else if (e.type == IDSYNC_CONFIG_BOOLEAN) {
      v = e.integer != 0;
    } else if (e.type == IDSYNC_CONFIG_STRING_LIST) {
      json::array& a = v.emplace_array();
      for (const auto& item : e.items) a.emplace_back(item);
    } else {
      v = e.text;
    }
  }
  return out;
}

// ---- resolve_config ---------------------------------------------------------------------------

namespace {

// ABI rule 2: copy the plugin's struct into a zeroed one of ours, keeping only the members that
// lie entirely within the plugin's struct_size.
idsync_config_field read_field(const idsync_config_field* in) {
  idsync_config_field f{};
  const std::size_t size = std::min<std::size_t>(in->struct_size, sizeof f);
  std::memcpy(&f, in, size);
  auto covers = [size](std::size_t offset, std::size_t width) { return offset + width <= size; };
  using F = idsync_config_field;
  if (!covers(offsetof(F, name), sizeof f.name)) f.name = nullptr;
  if (!covers(offsetof(F, type), sizeof f.type)) f.type = 0;
  if (!covers(offsetof(F, flags), sizeof f.flags)) f.flags = 0;
  if (!covers(offsetof(F, default_value), sizeof f.default_value)) f.default_value = nullptr;
  if (!covers(offsetof(F, doc), sizeof f.doc)) f.doc = nullptr;
  if (!covers(offsetof(F, min_value), sizeof f.min_value)) f.min_value = 0;
  if (!covers(offsetof(F, max_value), sizeof f.max_value)) f.max_value = 0;
  if (!covers(offsetof(F, allowed), sizeof f.allowed)) f.allowed = nullptr;
  f.struct_size = static_cast<std::uint32_t>(size);
  return f;
}

bool known_type(idsync_config_type t) {
  return t == IDSYNC_CONFIG_STRING || t == IDSYNC_CONFIG_INTEGER || t == IDSYNC_CONFIG_BOOLEAN ||
         t == IDSYNC_CONFIG_STRING_LIST || t == IDSYNC_CONFIG_PATH;
}

std::string required_message(const idsync_config_field& f) {
  std::string out(kMissingRequired);
  if (f.doc && *f.doc) {
    std::string doc(f.doc);
    while (!doc.empty() && (doc.back() == '.' || doc.back() == ' ')) doc.pop_back();
    out += " (" + doc + ")";
  }
  return out;
}

// A converted value, before it moves into ResolvedConfig's storage.
struct Value {
  std::string text;
  std::int64_t integer = 0;
  std::vector<std::string> items;
};

// Converts values (from the manifest or a default) of one declared field. Secret text must never
// reach a message: the secret branch reports only what was expected.
class Converter {
 public:
  Converter(const idsync_config_field& f, const std::filesystem::path& base_dir,
            std::vector<Diagnostic>& problems)
      : f_(f), base_dir_(base_dir), problems_(problems) {
    if (f_.allowed)
      for (const char* const* a = f_.allowed; *a; ++a) allowed_.emplace_back(*a);
  }

  std::optional<Value> convert(const json::value& v, const std::string& path) {
    if (f_.flags & IDSYNC_CONFIG_SECRET) {
      auto ref = parse_secret_ref(v, path, problems_);
      if (!ref) return std::nullopt;
      auto secret = read_secret(*ref, base_dir_, path, problems_);
      if (!secret) return std::nullopt;
      return from_secret(std::move(*secret), path);
    }
    switch (f_.type) {
      case IDSYNC_CONFIG_STRING:
        return string(v, path);
      case IDSYNC_CONFIG_PATH:
        return path_value(v, path);
      case IDSYNC_CONFIG_INTEGER:
        return integer(v, path);
      case IDSYNC_CONFIG_BOOLEAN:
        if (!v.is_bool()) return fail(path, expected_found("a boolean", v));
        return Value{{}, v.get_bool() ? 1 : 0, {}};
      case IDSYNC_CONFIG_STRING_LIST:
        return string_list(v, path);
    }
    return std::nullopt;  // unknown types were refused as declaration errors
  }

  // The secret's text read as the field's type.
  std::optional<Value> from_secret(std::string secret, const std::string& path) {
    switch (f_.type) {
      case IDSYNC_CONFIG_STRING:
        // No did-you-mean: a near match would give away most of the secret.
        if (!is_allowed(secret)) return fail(path, "expected " + one_of_expectation(allowed_));
        return Value{std::move(secret), 0, {}};
      case IDSYNC_CONFIG_PATH:
        return Value{resolve_path(base_dir_, secret).string(), 0, {}};
      case IDSYNC_CONFIG_INTEGER: {
        std::int64_t n = 0;
        const char* end = secret.data() + secret.size();
        const auto [ptr, ec] = std::from_chars(secret.data(), end, n);
        const bool in_range =
            f_.min_value >= f_.max_value || (n >= f_.min_value && n <= f_.max_value);
        if (ec != std::errc() || ptr != end || !in_range)
          return fail(path, "expected " + integer_expectation(f_.min_value, f_.max_value) +
                                " in the secret");
        return Value{{}, n, {}};
      }
      case IDSYNC_CONFIG_BOOLEAN:
        if (secret != "true" && secret != "false")
          return fail(path, "expected true or false in the secret");
        return Value{{}, secret == "true" ? 1 : 0, {}};
      case IDSYNC_CONFIG_STRING_LIST: {
        Value out;
        out.items.push_back(std::move(secret));
        return out;
      }
    }
    return std::nullopt;
  }

 private:
  std::nullopt_t fail(const std::string& path, std::string message) {
    problems_.push_back({path, std::move(message)});
    return std::nullopt;
  }

  bool is_allowed(std::string_view s) const {
    if (allowed_.empty()) return true;
    for (std::string_view a : allowed_)
      if (a == s) return true;
    return false;
  }

  std::optional<Value> string(const json::value& v, const std::string& path) {
    if (!allowed_.empty() && !v.is_string())
      return fail(path, expected_found(one_of_expectation(allowed_), v));
    if (!v.is_string()) return fail(path, expected_found("a string", v));
    const std::string_view s(v.get_string().data(), v.get_string().size());
    if (!is_allowed(s))
      return fail(path, "expected " + one_of_expectation(allowed_) + did_you_mean(s, allowed_));
    return Value{std::string(s), 0, {}};
  }

  std::optional<Value> path_value(const json::value& v, const std::string& path) {
    if (!v.is_string()) return fail(path, expected_found("a string", v));
    if (v.get_string().empty()) return fail(path, "must not be empty");
    const std::string_view s(v.get_string().data(), v.get_string().size());
    return Value{resolve_path(base_dir_, s).string(), 0, {}};
  }

  std::optional<Value> integer(const json::value& v, const std::string& path) {
    auto n = read_integer(v, f_.min_value, f_.max_value, path, problems_);
    if (!n) return std::nullopt;
    return Value{{}, *n, {}};
  }

  std::optional<Value> string_list(const json::value& v, const std::string& path) {
    if (!v.is_array()) return fail(path, expected_found("an array of strings", v));
    Value out;
    bool ok = true;
    const json::array& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_string()) {
        out.items.emplace_back(a[i].get_string());
      } else {
        fail(index_path(path, i), expected_found("a string", a[i]));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  const idsync_config_field& f_;
  const std::filesystem::path& base_dir_;
  std::vector<Diagnostic>& problems_;
  std::vector<std::string_view> allowed_;
};

}  // namespace

ResolvedConfig resolve_config(const ConnectorDecl& connector,
                              const idsync_config_field* const* fields, std::size_t count,
                              std::vector<Diagnostic>& problems) {
  const std::string config_path = member_path(connector.json_path, "config");
  const std::string type_path = member_path(connector.json_path, "type");
  const std::string declares = "connector type \"" + connector.type + "\" declares ";
  auto plugin_error = [&](std::string message) {
    problems.push_back({type_path, declares + std::move(message)});
  };

  if (!fields && count > 0) {
    plugin_error("config fields as a null pointer");
    count = 0;
  }

  // Read and check the declarations first: their names are the known keys.
  std::vector<idsync_config_field> decls(count);
  std::vector<bool> usable(count, false);
  std::vector<std::string_view> names;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string index = "config field [" + std::to_string(i) + "]";
    if (!fields[i]) {
      plugin_error(index + " as a null pointer");
      continue;
    }
    decls[i] = read_field(fields[i]);
    const idsync_config_field& f = decls[i];
    if (!f.name || !*f.name) {
      plugin_error(index + " without a name");
      continue;
    }
    const std::string field = "config field \"" + std::string(f.name) + "\"";
    if (!seen.insert(f.name).second) {
      plugin_error(field + " twice");
      continue;
    }
    names.emplace_back(f.name);
    if (!known_type(f.type)) {
      plugin_error(field + " with unknown type " + std::to_string(f.type));
      continue;
    }
    usable[i] = true;
  }

  check_known_keys(connector.config, config_path, names, problems);

  ResolvedConfig out;
  out.entries_.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const idsync_config_field& f = decls[i];
    ResolvedConfig::Entry& e = out.entries_[i];
    if (f.name) e.name = f.name;
    e.type = f.type;
    e.secret = (f.flags & IDSYNC_CONFIG_SECRET) != 0;
    if (!usable[i]) continue;

    const std::string path = member_path(config_path, f.name);
    std::optional<Value> value;
    if (const json::value* v = connector.config.if_contains(f.name)) {
      value = Converter(f, connector.base_dir, problems).convert(*v, path);
    } else if (f.default_value) {
      json::error_code ec;
      const json::value def = json::parse(f.default_value, ec);
      if (ec) {
        plugin_error("config field \"" + std::string(f.name) +
                     "\" with a default that is not JSON");
        continue;
      }
      // A bad default is the plugin's mistake: report it against the type, not the admin's key.
      // But a well-formed secret reference that cannot be resolved (variable not set, file
      // missing) is the admin's to fix, so that part is reported at the field.
      std::vector<Diagnostic> default_problems;
      if (e.secret) {
        if (auto ref = parse_secret_ref(def, path, default_problems))
          if (auto secret = read_secret(*ref, connector.base_dir, path, problems))
            value =
                Converter(f, connector.base_dir, problems).from_secret(std::move(*secret), path);
      } else {
        value = Converter(f, connector.base_dir, default_problems).convert(def, path);
      }
      for (const auto& d : default_problems)
        plugin_error("config field \"" + std::string(f.name) +
                     "\" with an invalid default: " + d.message);
    } else if (f.flags & IDSYNC_CONFIG_REQUIRED) {
      problems.push_back({path, required_message(f)});
    }
    if (value) {
      e.set = true;
      e.text = std::move(value->text);
      e.integer = value->integer;
      e.items = std::move(value->items);
    }
  }
  out.rebuild_views();
  return out;
}

}  // namespace idsync::manifest
