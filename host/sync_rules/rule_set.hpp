// The loaded rules, indexed the way the sync engine asks for them.
//
// The engine's questions are "which inbound rules apply to a `person` in connector HR's space"
// and "which outbound rules provision or update a `person` MV object in connector Directory".
// Both are answered from an index built once, in precedence order (lower number first, the
// order in which contributions win), without allocating.
#ifndef IDSYNC_SYNC_RULES_RULE_SET_HPP
#define IDSYNC_SYNC_RULES_RULE_SET_HPP

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sync_rules/rule.hpp"

namespace idsync::sync_rules {

class RuleSet {
 public:
  RuleSet() = default;
  // Takes rules that passed validation (unique names, precedence unique per direction); with
  // equal precedence the order falls back to the name so it is still total.
  explicit RuleSet(std::vector<SyncRule> rules);

  // Pointers into the set stay valid when it moves; copying would dangle them.
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  RuleSet(RuleSet&&) noexcept = default;
  RuleSet& operator=(RuleSet&&) noexcept = default;

  // Enabled inbound rules of `connector` for CS objects of `cs_object_type`, by precedence.
  // Names compare ignoring ASCII case. Empty when there are none.
  std::span<const SyncRule* const> inbound(std::string_view connector,
                                           std::string_view cs_object_type) const;
  // Enabled outbound rules of `connector` for MV objects of `mv_object_type`, by precedence.
  std::span<const SyncRule* const> outbound(std::string_view connector,
                                            std::string_view mv_object_type) const;

  // Every rule, disabled ones included, in load order.
  const std::vector<SyncRule>& all() const { return rules_; }
  // The rule named `name` ignoring ASCII case, or nullptr.
  const SyncRule* find(std::string_view name) const;

 private:
  struct Key {
    Direction direction;
    std::string connector;
    std::string object_type;
  };
  struct KeyView {
    Direction direction;
    std::string_view connector;
    std::string_view object_type;
  };
  // Case-insensitive, and transparent so lookups take string_views.
  struct KeyLess {
    using is_transparent = void;
    bool operator()(const Key& a, const Key& b) const;
    bool operator()(const Key& a, const KeyView& b) const;
    bool operator()(const KeyView& a, const Key& b) const;
  };

  std::span<const SyncRule* const> lookup(const KeyView& key) const;

  std::vector<SyncRule> rules_;
  std::map<Key, std::vector<const SyncRule*>, KeyLess> index_;
};

}  // namespace idsync::sync_rules

#endif  // IDSYNC_SYNC_RULES_RULE_SET_HPP
