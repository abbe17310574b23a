// Checking a connector's `config` object against the fields its plugin declares, and turning it
// into the idsync_config_value array that create() receives (plugin_abi.h, Configuration).
#ifndef IDSYNC_MANIFEST_PLUGIN_CONFIG_HPP
#define IDSYNC_MANIFEST_PLUGIN_CONFIG_HPP

#include <idsync/plugin_abi.h>

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/diagnostics.hpp"
#include "manifest/manifest.hpp"

namespace idsync::manifest {

// A connector's validated configuration. Owns every string; values() and the views inside it
// stay valid while this object lives, including after it is moved (the storage moves with it).
// It holds resolved secrets in memory: never print values() or text() of a secret field; use
// redacted() for logs.
class ResolvedConfig {
 public:
  ResolvedConfig() = default;
  ResolvedConfig(const ResolvedConfig& other);
  ResolvedConfig& operator=(const ResolvedConfig& other);
  ResolvedConfig(ResolvedConfig&&) noexcept = default;
  ResolvedConfig& operator=(ResolvedConfig&&) noexcept = default;

  // One entry per declared field, in declared order, ready for idsync_create_params::config.
  // is_set is 0 when the field was absent and has no default.
  const std::vector<idsync_config_value>& values() const { return values_; }

  // The entry for `name` (exact, as declared), or nullptr.
  const idsync_config_value* find(std::string_view name) const;
  bool is_set(std::string_view name) const;
  // STRING, PATH (absolute) and secret fields; nothing when unset or of another type.
  std::optional<std::string_view> text(std::string_view name) const;
  std::optional<std::int64_t> integer(std::string_view name) const;
  std::optional<bool> boolean(std::string_view name) const;
  std::vector<std::string_view> list(std::string_view name) const;  // empty when unset
  bool is_secret(std::string_view name) const;

  // Every set field as JSON, secrets replaced by "<secret>": for logs and `idsync config show`.
  boost::json::object redacted() const;

 private:
  struct Entry {
    std::string name;
    idsync_config_type type = IDSYNC_CONFIG_STRING;
    bool secret = false;
    bool set = false;
    std::string text;
    std::int64_t integer = 0;
    std::vector<std::string> items;
  };
  friend ResolvedConfig resolve_config(const ConnectorDecl&, const idsync_config_field* const*,
                                       std::size_t, std::vector<Diagnostic>&);
  const Entry* entry(std::string_view name) const;
  // Points values_ and item_views_ into entries_; needed after building or copying.
  void rebuild_views();

  std::vector<Entry> entries_;
  std::vector<std::vector<idsync_str>> item_views_;
  std::vector<idsync_config_value> values_;
};

// Checks `connector.config` against the plugin's `count` declared `fields` (each read only
// within its struct_size) and returns the result; every problem is appended to `problems`, and
// the result must only be used when none was added. Paths are
// `<connector.json_path>.config.<field>`.
//
// What is checked, with the exact messages:
//   unknown key                 `unknown key[; did you mean "anchor_column"?]`
//   required, absent, no default `required key is missing (<doc of the field>)`
//   STRING                      `expected a string, found a number`;
//                               with `allowed`: `expected one of "csv", "ldif", "jsonl"`
//                               [+ did-you-mean, except for secrets]
//   INTEGER                     `expected an integer 1..65535[, found a string]` (the range when
//                               min < max; integral numbers such as 5.0 are accepted)
//   BOOLEAN                     `expected a boolean, found a string`
//   STRING_LIST                 `expected an array of strings, found a string`, and per item
//                               `<path>[i]: expected a string, found a number`
//   PATH                        a non-empty string (`must not be empty`), made absolute against
//                               the manifest's folder (connector.base_dir)
//   SECRET flag                 a reference, see secrets.hpp for the messages; the secret text
//                               is then read as the field's type (INTEGER: `expected an integer
//                               1..65535 in the secret`, BOOLEAN: `expected true or false in
//                               the secret`, STRING_LIST: one item), and never echoed
// An absent field takes the plugin's default_value (JSON text, checked like a manifest value).
//
// Mistakes in the plugin's declarations are reported at `<connector.json_path>.type` as
//   connector type "file" declares config fields as a null pointer
//   connector type "file" declares config field [2] without a name
//   connector type "file" declares config field [2] as a null pointer
//   connector type "file" declares config field "port" twice
//   connector type "file" declares config field "port" with unknown type 9
//   connector type "file" declares config field "port" with a default that is not JSON
//   connector type "file" declares config field "port" with an invalid default: <message>
ResolvedConfig resolve_config(const ConnectorDecl& connector,
                              const idsync_config_field* const* fields, std::size_t count,
                              std::vector<Diagnostic>& problems);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_PLUGIN_CONFIG_HPP
