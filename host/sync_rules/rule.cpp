#include "sync_rules/rule.hpp"

#include <cstddef>

namespace idsync::sync_rules {

namespace {

// The name lists are the single source of spellings: to_string indexes them by enum value, and
// the loader offers them as the allowed values, so the two can never disagree.
template <typename Enum>
std::string_view name_of(const std::vector<std::string_view>& names, Enum e) {
  const auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : std::string_view("?");
}

}  // namespace

const std::vector<std::string_view>& direction_names() {
  static const std::vector<std::string_view> names{"inbound", "outbound"};
  return names;
}

const std::vector<std::string_view>& link_type_names() {
  static const std::vector<std::string_view> names{"Join", "Provision", "StickyJoin"};
  return names;
}

const std::vector<std::string_view>& scope_operator_names() {
  static const std::vector<std::string_view> names{
      "EQUAL",       "NOTEQUAL",    "STARTSWITH",  "NOTSTARTSWITH", "ENDSWITH",
      "NOTENDSWITH", "CONTAINS",    "NOTCONTAINS", "ISNULL",        "ISNOTNULL",
      "ISBITSET",    "ISNOTBITSET", "ISMEMBEROF",  "ISNOTMEMBEROF"};
  return names;
}

const std::vector<std::string_view>& flow_type_names() {
  static const std::vector<std::string_view> names{"direct", "constant", "expression", "transform"};
  return names;
}

const std::vector<std::string_view>& merge_mode_names() {
  static const std::vector<std::string_view> names{"update", "merge", "merge_case_insensitive"};
  return names;
}

const std::vector<std::string_view>& deprovision_action_names() {
  static const std::vector<std::string_view> names{"delete", "disconnect", "update"};
  return names;
}

std::string_view to_string(DeprovisionAction a) { return name_of(deprovision_action_names(), a); }
std::string_view to_string(Direction d) { return name_of(direction_names(), d); }
std::string_view to_string(LinkType t) { return name_of(link_type_names(), t); }
std::string_view to_string(ScopeOperator op) { return name_of(scope_operator_names(), op); }
std::string_view to_string(FlowType f) { return name_of(flow_type_names(), f); }
std::string_view to_string(MergeMode m) { return name_of(merge_mode_names(), m); }

bool takes_value(ScopeOperator op) {
  return op != ScopeOperator::kIsNull && op != ScopeOperator::kIsNotNull;
}

bool takes_attribute(ScopeOperator op) {
  return op != ScopeOperator::kIsMemberOf && op != ScopeOperator::kIsNotMemberOf;
}

bool takes_bit_mask(ScopeOperator op) {
  return op == ScopeOperator::kIsBitSet || op == ScopeOperator::kIsNotBitSet;
}

}  // namespace idsync::sync_rules
