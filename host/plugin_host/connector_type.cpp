#include "plugin_host/connector_type.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <set>

#include "plugin_host/abi_copy.hpp"
#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {

namespace {

// The capabilities minor 0 defines, each with the hook it promises.
struct Capability {
  uint32_t flag;
  const char* flag_name;
  const char* hook_name;
  bool (*has_hook)(const idsync_connector_type&);
};

constexpr Capability kCapabilities[] = {
    {IDSYNC_CAP_FULL_IMPORT, "IDSYNC_CAP_FULL_IMPORT", "full_import",
     [](const idsync_connector_type& t) { return t.full_import != nullptr; }},
    {IDSYNC_CAP_DELTA_IMPORT, "IDSYNC_CAP_DELTA_IMPORT", "delta_import",
     [](const idsync_connector_type& t) { return t.delta_import != nullptr; }},
    {IDSYNC_CAP_EXPORT, "IDSYNC_CAP_EXPORT", "export_batch",
     [](const idsync_connector_type& t) { return t.export_batch != nullptr; }},
    {IDSYNC_CAP_CURRENT_WATERMARK, "IDSYNC_CAP_CURRENT_WATERMARK", "current_watermark",
     [](const idsync_connector_type& t) { return t.current_watermark != nullptr; }},
    {IDSYNC_CAP_TEST_CONNECTION, "IDSYNC_CAP_TEST_CONNECTION", "test_connection",
     [](const idsync_connector_type& t) { return t.test_connection != nullptr; }},
};

std::string hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%x", value);
  return text;
}

void check_hooks(const idsync_connector_type& t, const std::string& who,
                 const std::filesystem::path& library) {
  const std::pair<const char*, bool> required[] = {
      {"create", t.create != nullptr},
      {"destroy", t.destroy != nullptr},
      {"get_schema", t.get_schema != nullptr},
      {"full_import", t.full_import != nullptr},
  };
  for (const auto& [hook, present] : required)
    if (!present)
      throw RefusedError(library, who + " lacks the required hook " + hook + " (it is NULL)");

  uint32_t known = 0;
  for (const Capability& cap : kCapabilities) {
    known |= cap.flag;
    const bool flagged = (t.capabilities & cap.flag) != 0;
    const bool hooked = cap.has_hook(t);
    if (flagged && !hooked)
      throw RefusedError(library, who + " sets capability " + cap.flag_name + " but its " +
                                      cap.hook_name + " hook is NULL");
    if (hooked && !flagged)
      throw RefusedError(library, who + " sets the " + cap.hook_name + " hook but not capability " +
                                      cap.flag_name);
  }
  // A bit this host does not know promises a hook it would never call.
  if ((t.capabilities & ~known) != 0)
    throw RefusedError(library, who + " sets capability bits " + hex(t.capabilities & ~known) +
                                    " that ABI " + std::to_string(IDSYNC_ABI_MAJOR) + "." +
                                    std::to_string(IDSYNC_ABI_MINOR) + " does not define");
}

// A default is JSON text of the field's type; checking it here means the manifest code can
// apply it without a second guess.
void check_default(const idsync_config_field& f, const std::string& who,
                   const std::filesystem::path& library) {
  if (f.default_value == nullptr) return;
  // A secret's default may only be a reference ({"env": ...} / {"file": ...}, checked when the
  // manifest is resolved); its text is never echoed, in case a plugin put a real secret there.
  const bool secret = (f.flags & IDSYNC_CONFIG_SECRET) != 0;
  const std::string shown = secret ? std::string("<secret default>") : std::string(f.default_value);
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(f.default_value, ec);
  if (ec)
    throw RefusedError(
        library, who + " has a default_value that is not JSON (" + ec.message() + "): " + shown);
  if (secret) {
    if (!v.is_object())
      throw RefusedError(library, who +
                                      " is secret, so its default_value must be a reference "
                                      "{\"env\": ...} or {\"file\": ...}, not inline text");
    return;
  }
  bool ok = false;
  switch (f.type) {
    case IDSYNC_CONFIG_STRING:
    case IDSYNC_CONFIG_PATH:
      ok = v.is_string();
      break;
    case IDSYNC_CONFIG_INTEGER:
      ok = v.is_int64() || v.is_uint64();
      break;
    case IDSYNC_CONFIG_BOOLEAN:
      ok = v.is_bool();
      break;
    case IDSYNC_CONFIG_STRING_LIST:
      ok = v.is_array();
      if (ok)
        for (const auto& item : v.as_array()) ok = ok && item.is_string();
      break;
  }
  if (!ok)
    throw RefusedError(library, who +
                                    " has a default_value of the wrong JSON type for the "
                                    "field's type: " +
                                    f.default_value);
}

idsync_config_field copy_field(const idsync_config_field* src, std::size_t index, uint32_t minor,
                               const std::string& type_who, const std::filesystem::path& library) {
  const std::string what = type_who + " config field #" + std::to_string(index);
  idsync_config_field f = abi_copy(src, minor, what, library);
  if (f.name == nullptr || f.name[0] == '\0') throw RefusedError(library, what + " has no name");
  const std::string who = type_who + " config field '" + f.name + "'";
  if (f.type > IDSYNC_CONFIG_PATH)
    throw RefusedError(library, who + " has unknown type " + std::to_string(f.type));
  const uint32_t known_flags = IDSYNC_CONFIG_REQUIRED | IDSYNC_CONFIG_SECRET;
  if ((f.flags & ~known_flags) != 0)
    throw RefusedError(library, who + " has unknown flags " + hex(f.flags & ~known_flags));
  check_default(f, who, library);
  return f;
}

}  // namespace

ConnectorType ConnectorType::copy_from(const idsync_connector_type* src, std::size_t index,
                                       uint32_t minor, const std::string& plugin,
                                       const std::filesystem::path& library) {
  ConnectorType out;
  out.raw_ = abi_copy(src, minor, "connector type #" + std::to_string(index), library);
  out.plugin_struct_size_ = src->struct_size;
  out.plugin_ = plugin;
  out.abi_minor_ = minor;
  if (out.raw_.type_id == nullptr || out.raw_.type_id[0] == '\0')
    throw RefusedError(library, "connector type #" + std::to_string(index) + " has no type_id");
  out.id_ = out.raw_.type_id;
  const std::string who = "connector type '" + out.id_ + "'";

  check_hooks(out.raw_, who, library);

  const idsync_connector_type& t = out.raw_;
  if (t.config_field_count > 0 && t.config_fields == nullptr)
    throw RefusedError(library, who + " declares " + std::to_string(t.config_field_count) +
                                    " config fields but config_fields is NULL");
  std::set<std::string, std::less<>> names;
  out.fields_.reserve(t.config_field_count);
  for (std::size_t i = 0; i < t.config_field_count; ++i) {
    idsync_config_field f = copy_field(t.config_fields[i], i, minor, who, library);
    if (!names.insert(f.name).second)
      throw RefusedError(library,
                         who + " declares config field '" + f.name + "' twice (duplicate name)");
    out.fields_.push_back(f);
  }
  for (const idsync_config_field& f : out.fields_) out.field_ptrs_.push_back(&f);
  // From here on nothing reads the plugin's array: raw() shows the host's copies.
  out.raw_.config_fields = out.field_ptrs_.data();
  out.raw_.config_field_count = out.field_ptrs_.size();
  return out;
}

std::string_view ConnectorType::display_name() const {
  return raw_.display_name ? std::string_view(raw_.display_name) : std::string_view();
}

std::string_view ConnectorType::description() const {
  return raw_.description ? std::string_view(raw_.description) : std::string_view();
}

const idsync_config_field* ConnectorType::field(std::string_view name) const {
  for (const idsync_config_field* f : field_ptrs_)
    if (name == f->name) return f;
  return nullptr;
}

}  // namespace idsync::plugin_host
