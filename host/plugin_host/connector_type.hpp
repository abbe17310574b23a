// A connector type as the host keeps it: a validated copy of the plugin's
// idsync_connector_type and of its config fields.
#ifndef IDSYNC_PLUGIN_HOST_CONNECTOR_TYPE_HPP
#define IDSYNC_PLUGIN_HOST_CONNECTOR_TYPE_HPP

#include <idsync/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::plugin_host {

class ConnectorType {
 public:
  // Checks and copies connector type #`index` of a plugin speaking ABI 1.`minor`: struct
  // sizes, type_id, the required hooks (create, destroy, get_schema, full_import), that each
  // capability flag is set exactly when its hook is, and every config field (name, known
  // type and flags, unique names, a default that is JSON of the field's type). Throws
  // RefusedError(library, ...) naming the type and what is wrong.
  static ConnectorType copy_from(const idsync_connector_type* src, std::size_t index,
                                 uint32_t minor, const std::string& plugin,
                                 const std::filesystem::path& library);

  // Not copyable: raw().config_fields points into this object's own vectors. Moving keeps
  // those buffers, and so the pointers, valid.
  ConnectorType(ConnectorType&&) = default;
  ConnectorType& operator=(ConnectorType&&) = default;
  ConnectorType(const ConnectorType&) = delete;
  ConnectorType& operator=(const ConnectorType&) = delete;

  const std::string& id() const { return id_; }
  // Empty when the plugin gave none.
  std::string_view display_name() const;
  std::string_view description() const;
  uint32_t capabilities() const { return raw_.capabilities; }
  bool can(uint32_t capability) const { return (raw_.capabilities & capability) == capability; }

  // The host's copies of the config fields, in declared order. Fields a plugin's shorter
  // struct did not cover are zero/NULL (a NULL doc or default means none).
  const std::vector<const idsync_config_field*>& fields() const { return field_ptrs_; }
  const idsync_config_field* field(std::string_view name) const;

  // The host's copy: hooks and static strings are the plugin's, config_fields points to the
  // host's copies, struct_size is the host's sizeof and hooks the plugin's struct did not
  // cover are NULL.
  const idsync_connector_type& raw() const { return raw_; }

  // Name of the plugin (as in its plugin.json) that provides this type.
  const std::string& plugin() const { return plugin_; }
  // The ABI minor the plugin speaks.
  uint32_t abi_minor() const { return abi_minor_; }
  // struct_size as the plugin sent it (may be below sizeof(idsync_connector_type)).
  uint32_t plugin_struct_size() const { return plugin_struct_size_; }

 private:
  ConnectorType() = default;

  std::string id_;
  std::string plugin_;
  uint32_t abi_minor_ = 0;
  uint32_t plugin_struct_size_ = 0;
  idsync_connector_type raw_{};
  std::vector<idsync_config_field> fields_;
  std::vector<const idsync_config_field*> field_ptrs_;
};

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_CONNECTOR_TYPE_HPP
