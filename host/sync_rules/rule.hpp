// The sync rule model: what one declarative rule says, after loading and validation.
//
// A sync rule is the unit an Entra Connect Sync admin edits in the Synchronization Rules Editor:
// which objects it applies to (connector, object types, scoping filter), how a connector-space
// object finds its metaverse object (join), and which attributes flow (transformations). Rules
// are data; the engine evaluates them with scoping.hpp and join.hpp and finds them in a
// RuleSet (rule_set.hpp). The file format is described in loader.hpp.
//
// Every value here has passed validation: required fields are set, enumerations are in range,
// each transformation has exactly the field its flow needs. Code that builds a SyncRule by hand
// (tests, tools) takes on the same contract.
#ifndef IDSYNC_SYNC_RULES_RULE_HPP
#define IDSYNC_SYNC_RULES_RULE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::sync_rules {

// Inbound: connector space -> metaverse. Outbound: metaverse -> connector space.
enum class Direction { kInbound, kOutbound };

// Join: the rule applies to objects that are (or become, through its join) linked.
// Provision: inbound it projects an unjoined CS object as a new MV object; outbound it creates a
// new CS object for an MV object that has none in this connector.
// StickyJoin: like Join, but the link survives the object leaving the rule's scope.
enum class LinkType { kJoin, kProvision, kStickyJoin };

// Scoping operators; the exact semantics of each are in scoping.hpp.
enum class ScopeOperator {
  kEqual,
  kNotEqual,
  kStartsWith,
  kNotStartsWith,
  kEndsWith,
  kNotEndsWith,
  kContains,
  kNotContains,
  kIsNull,
  kIsNotNull,
  kIsBitSet,
  kIsNotBitSet,
  kIsMemberOf,
  kIsNotMemberOf,
};

enum class FlowType { kDirect, kConstant, kExpression, kTransform };

// How a flowed value combines with what the target attribute already holds.
// Update: replaces it. Merge: union of values, exact comparison (multi-valued targets).
// MergeCaseInsensitive: union, values equal ignoring ASCII case count once.
enum class MergeMode { kUpdate, kMerge, kMergeCaseInsensitive };

// What an outbound Provision rule does to the target object when the MV object leaves its
// scope or is deleted (JSON "deprovisioning"): delete it (the default), disconnect it (the
// object stays in the target as it is, no longer managed), or update it with
// `transformations` once and then disconnect it (disable an account rather than delete it).
enum class DeprovisionAction { kDelete, kDisconnect, kUpdate };

// The spellings used in rule files: "inbound", "Join", "NOTEQUAL", "direct",
// "merge_case_insensitive". Each list is in enum order.
std::string_view to_string(Direction d);
std::string_view to_string(LinkType t);
std::string_view to_string(ScopeOperator op);
std::string_view to_string(FlowType f);
std::string_view to_string(MergeMode m);
std::string_view to_string(DeprovisionAction a);  // "delete", "disconnect", "update"
const std::vector<std::string_view>& direction_names();
const std::vector<std::string_view>& link_type_names();
const std::vector<std::string_view>& scope_operator_names();
const std::vector<std::string_view>& flow_type_names();
const std::vector<std::string_view>& merge_mode_names();
const std::vector<std::string_view>& deprovision_action_names();

// Whether `op` compares against `value` (all but ISNULL/ISNOTNULL), takes an attribute (all but
// the member-of operators) and takes an integer bit mask (ISBITSET/ISNOTBITSET).
bool takes_value(ScopeOperator op);
bool takes_attribute(ScopeOperator op);
bool takes_bit_mask(ScopeOperator op);

// One clause: `department EQUAL "Sales"`.
struct ScopeCondition {
  std::string attribute;  // empty for ISMEMBEROF/ISNOTMEMBEROF
  ScopeOperator op = ScopeOperator::kEqual;
  std::string value;  // empty for ISNULL/ISNOTNULL; a group DN/anchor for memberof
  std::optional<std::int64_t> bit_mask;  // set exactly for ISBITSET/ISNOTBITSET (value is its text)

  bool operator==(const ScopeCondition&) const = default;
};

// Clauses ANDed.
struct ScopeGroup {
  std::vector<ScopeCondition> conditions;  // never empty after loading

  bool operator==(const ScopeGroup&) const = default;
};

// Groups ORed; no groups means every object of the rule's object type is in scope.
struct ScopingFilter {
  std::vector<ScopeGroup> groups;

  bool operator==(const ScopingFilter&) const = default;
};

// The CS attribute and the MV attribute whose values must be equal.
struct JoinCondition {
  std::string cs_attribute;
  std::string mv_attribute;
  bool case_sensitive = false;

  bool operator==(const JoinCondition&) const = default;
};

// Conditions ANDed: an MV object matches when every condition holds.
struct JoinGroup {
  std::vector<JoinCondition> conditions;  // never empty after loading

  bool operator==(const JoinGroup&) const = default;
};

// One attribute flow. Inbound, `target` names an MV attribute and `source` a CS attribute;
// outbound the reverse.
struct Transformation {
  FlowType flow = FlowType::kDirect;
  std::string target;
  std::string source;               // kDirect only
  std::vector<std::string> values;  // kConstant only: one value, or several for multi-valued
  std::string expression;           // kExpression only, as written (validated, not compiled)
  bool apply_once = false;          // flow only when the target has no value yet
  MergeMode merge = MergeMode::kUpdate;
  // kTransform only: the name of a rule plugin's transform. `target` is then empty: the
  // transform names the attributes it sets, each a flow of the rule (apply_once and merge
  // apply to each); a flow of the same rule into one of them wins over the transform.
  std::string transform;

  bool operator==(const Transformation&) const = default;
};

struct DeprovisioningRule {
  DeprovisionAction action = DeprovisionAction::kDelete;
  std::vector<Transformation> transformations;  // kUpdate only; evaluated on the MV object

  bool operator==(const DeprovisioningRule&) const = default;
};

struct SyncRule {
  std::string name;  // unique across the rule set, ignoring ASCII case
  std::string description;
  bool disabled = false;
  Direction direction = Direction::kInbound;
  std::string connector;  // spelled as the manifest spells it when the loader knew the connectors
  std::string cs_object_type;
  std::string mv_object_type;
  LinkType link_type = LinkType::kJoin;
  std::int64_t precedence = 0;  // lower wins; unique among rules of one direction
  ScopingFilter scoping;
  std::vector<JoinGroup> join;  // tried in order, see join.hpp
  std::vector<Transformation> transformations;
  DeprovisioningRule deprovisioning;  // outbound Provision rules only

  // Where the rule was defined, for messages: the file and the JSON path of the rule object
  // within it ("" for a file holding one rule, "rules[2]" in a list).
  std::string file;
  std::string path;

  bool operator==(const SyncRule&) const = default;
};

}  // namespace idsync::sync_rules

#endif  // IDSYNC_SYNC_RULES_RULE_HPP
