// A rule type as the host keeps it: a validated copy of the plugin's idsync_rule_type and of
// its functions and transforms.
#ifndef IDSYNC_PLUGIN_HOST_RULE_TYPE_HPP
#define IDSYNC_PLUGIN_HOST_RULE_TYPE_HPP

#include <idsync/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::plugin_host {

class RuleType {
 public:
  // Checks and copies rule type #`index` of a plugin speaking ABI 1.`minor`: struct sizes,
  // type_id, and for every function and transform a name (unique within the type), its hook,
  // and min_args <= max_args. Throws RefusedError(library, ...).
  static RuleType copy_from(const idsync_rule_type* src, std::size_t index, uint32_t minor,
                            const std::string& plugin, const std::filesystem::path& library);

  // Not copyable: raw() points into this object's own vectors (moving keeps them valid).
  RuleType(RuleType&&) = default;
  RuleType& operator=(RuleType&&) = default;
  RuleType(const RuleType&) = delete;
  RuleType& operator=(const RuleType&) = delete;

  const std::string& id() const { return id_; }
  std::string_view description() const;
  // Host copies, in declared order.
  const std::vector<const idsync_rule_function*>& functions() const { return function_ptrs_; }
  const std::vector<const idsync_rule_transform*>& transforms() const { return transform_ptrs_; }
  const idsync_rule_function* function(std::string_view name) const;
  const idsync_rule_transform* transform(std::string_view name) const;
  // The host's copy, its arrays pointing to the host's copies.
  const idsync_rule_type& raw() const { return raw_; }
  const std::string& plugin() const { return plugin_; }
  uint32_t abi_minor() const { return abi_minor_; }

 private:
  RuleType() = default;

  std::string id_;
  std::string plugin_;
  uint32_t abi_minor_ = 0;
  idsync_rule_type raw_{};
  std::vector<idsync_rule_function> functions_;
  std::vector<const idsync_rule_function*> function_ptrs_;
  std::vector<idsync_rule_transform> transforms_;
  std::vector<const idsync_rule_transform*> transform_ptrs_;
};

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_RULE_TYPE_HPP
