// Loading and validating sync rule files.
//
// FILES. The manifest's `rules.path` names a folder. Every regular file in it whose name ends in
// ".json" (and does not start with ".", so editor backups stay out) is read, in byte order of the
// file names; subfolders are not searched. Prefix names with numbers ("10-hr.json") to choose
// the order. A folder that does not exist holds no rules: sync rules are optional for an
// import-only deployment. Each file holds either one rule object or {"rules": [rule, ...]};
// JSON paths in messages start at the rule for the first form and at `rules[i]` for the second.
//
// RULE OBJECT. Keys are exact (case-sensitive); unknown keys are errors with a did-you-mean.
//
//   name            string, required, non-empty; unique across all files ignoring ASCII case
//   description     string
//   disabled        boolean, default false; a disabled rule is validated but never applied
//   direction       required: "inbound" (connector space -> metaverse) |
//                   "outbound" (metaverse -> connector space)
//   connector       string, required: a connector name from the manifest (matched ignoring
//                   case, stored with the manifest's spelling)
//   cs_object_type  string, required, non-empty: the connector-space object type ("person")
//   mv_object_type  string, required, non-empty: the metaverse object type ("person")
//   link_type       "Join" (default) | "Provision" | "StickyJoin". Inbound Provision projects
//                   an unjoined CS object into the metaverse; outbound Provision creates a CS
//                   object for an MV object that has none in this connector.
//   precedence      integer 0..2147483647, required; lower wins. Unique among the rules of one
//                   direction (disabled rules included, so enabling one never creates a tie).
//   scoping         array of groups, ORed; a group is a non-empty array of conditions, ANDed:
//                     {"attribute": "department", "operator": "EQUAL", "value": "Sales"}
//                   operator: "EQUAL", "NOTEQUAL", "STARTSWITH", "NOTSTARTSWITH", "ENDSWITH",
//                   "NOTENDSWITH", "CONTAINS", "NOTCONTAINS", "ISNULL", "ISNOTNULL",
//                   "ISBITSET", "ISNOTBITSET", "ISMEMBEROF", "ISNOTMEMBEROF".
//                   attribute: required, except for ISMEMBEROF/ISNOTMEMBEROF where it is not
//                   allowed (membership is the object's, not an attribute's).
//                   value: a non-empty string; for ISBITSET/ISNOTBITSET an integer
//                   1..9223372036854775807 (the bit mask); for the member-of operators the
//                   group's DN or anchor; not allowed for ISNULL/ISNOTNULL.
//                   Absent or [] puts every object of the rule's type in scope. Inbound rules
//                   test CS attributes, outbound rules MV attributes. Semantics: scoping.hpp.
//   join            array of groups tried in order (see join.hpp); a group is a non-empty
//                   array of conditions, ANDed:
//                     {"cs_attribute": "employeeId", "mv_attribute": "employeeId",
//                      "case_sensitive": false}
//                   both attributes required; case_sensitive defaults to false, as the
//                   Synchronization Rules Editor's checkbox does.
//   transformations array of attribute flows:
//                     {"flow": "direct", "target": "displayName", "source": "displayName"}
//                     {"flow": "constant", "target": "c", "value": "DK"}
//                     {"flow": "constant", "target": "objectClass", "value": ["top", "person"]}
//                     {"flow": "expression", "target": "cn", "expression": "[givenName] & ..."}
//                   flow required; target required, non-empty, not the target of another flow
//                   of the same rule (ignoring case). The flow's own field is required and the
//                   other two are not allowed: source (direct) a non-empty string; value
//                   (constant) a string or a non-empty array of strings; expression
//                   (expression) a non-empty string, checked by LoadOptions::check_expression.
//                   apply_once: boolean, default false (flow only while the target is empty).
//                   merge: "update" (default, replace) | "merge" (union of values) |
//                   "merge_case_insensitive" (union, ignoring ASCII case).
//                     {"flow": "transform", "transform": "DeriveMailNickname"}
//                   a rule plugin's whole-object transform (checked by
//                   LoadOptions::check_transform), run on the source object; each attribute
//                   it sets is a flow of this rule into that attribute (apply_once and merge
//                   apply to each), and a flow of the same rule into the same attribute wins.
//                   No target: the transform names its own.
//                   Inbound the target is an MV attribute and the source a CS attribute;
//                   outbound the reverse.
//   deprovisioning  outbound Provision rules only: what happens to the target object when the
//                   MV object leaves the rule's scope or is deleted.
//                     {"action": "delete"}       the default: a pending export delete
//                     {"action": "disconnect"}   the object stays in the target, unmanaged
//                     {"action": "update", "transformations": [...]}
//                                                one last update with these flows (evaluated on
//                                                the MV object, a deleted one's last values),
//                                                e.g. disable the account, then disconnect
//                   After "disconnect" and "update" the object is an explicit disconnector:
//                   join rules do not join it again. An object never exported is withdrawn
//                   whatever the action. ISMEMBEROF is not allowed in outbound scoping.
//
// ERRORS. Loading never stops at the first problem: every file is read and checked, then one
// RulesError lists every problem with its file and JSON path (rules_error.hpp), e.g.
//   rules/hr.json: rules[1].scoping[0][1].operator: expected one of "EQUAL", ...; did you mean
//   "NOTEQUAL"?
//   rules/hr.json:3:15: invalid JSON: expected comma
//   rules/hr.json: rules[0].transformations[2].expression: column 14: expected ")"
#ifndef IDSYNC_SYNC_RULES_LOADER_HPP
#define IDSYNC_SYNC_RULES_LOADER_HPP

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync_rules/rule_set.hpp"

namespace idsync::sync_rules {

// A problem an expression checker found.
struct ExpressionProblem {
  std::size_t column = 0;  // 1-based, in characters of the expression text
  std::string message;     // "expected \")\"", without position
};

// Checks the text of one expression; nothing when it is fine. Injected so that the rules do not
// depend on the expression language's implementation (host/expressions).
using ExpressionChecker =
    std::function<std::optional<ExpressionProblem>(std::string_view expression)>;

struct LoadOptions {
  // The connector names the manifest declares. Unset: connector names are not checked (tools
  // that look at rules without a manifest).
  std::optional<std::vector<std::string>> known_connectors;
  // Unset: expressions are only required to be non-empty strings.
  ExpressionChecker check_expression;
  // Says what is wrong with a transform name (not provided by any loaded rule plugin), or
  // nullopt. Unset: transform names are only required to be non-empty.
  std::function<std::optional<std::string>(std::string_view name)> check_transform;
};

// One rule file's text and the name it goes by in messages.
struct RuleFileText {
  std::string file;
  std::string text;
};

// Reads the rules folder as described above. Throws RulesError listing every problem, including
// `<folder>: not a folder` and `<file>: cannot read: <reason>`.
RuleSet load_rules(const std::filesystem::path& folder, const LoadOptions& options);

// The same checks over texts already in memory, taken in the order given.
RuleSet parse_rules(const std::vector<RuleFileText>& files, const LoadOptions& options);

}  // namespace idsync::sync_rules

#endif  // IDSYNC_SYNC_RULES_LOADER_HPP
