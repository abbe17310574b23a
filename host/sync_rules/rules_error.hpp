// Problems found in the sync rules, and the one exception that carries all of them.
//
// A sibling of manifest::ManifestError rather than a reuse of it: ManifestError names one file,
// while one load of the rules folder reads many files and some problems (a rule name or a
// precedence used twice) relate two of them. Each problem therefore carries its own file; the
// part within the file is a manifest::Diagnostic, so paths, line:column and wording read exactly
// like manifest problems and the shared JSON helpers can append to it.
#ifndef IDSYNC_SYNC_RULES_RULES_ERROR_HPP
#define IDSYNC_SYNC_RULES_RULES_ERROR_HPP

#include <stdexcept>
#include <string>
#include <vector>

#include "manifest/diagnostics.hpp"

namespace idsync::sync_rules {

struct RuleDiagnostic {
  // The rule file as the loader named it (the folder joined with the file name, so relative
  // when the folder was given relative); the folder itself for problems with the folder.
  std::string file;
  manifest::Diagnostic diagnostic;
};

// "rules/hr.json: rules[1].precedence: expected an integer 0..2147483647";
// "rules/hr.json:3:15: invalid JSON: expected comma"; "rules: cannot read ..." (no path).
std::string to_string(const RuleDiagnostic& d);

// Thrown by load_rules/parse_rules with every problem found, in file order then document order
// (problems between files come after the per-file ones). what():
//   rules/hr.json: rules[0].name: required key is missing
// or, for several,
//   3 problems in the sync rules:
//     rules/hr.json: rules[0].name: required key is missing
//     rules/hr.json:4:1: invalid JSON: ...
//     rules/badges.json: precedence: 100 is already used by inbound rule "HR in" ...
class RulesError : public std::runtime_error {
 public:
  explicit RulesError(std::vector<RuleDiagnostic> diagnostics);

  const std::vector<RuleDiagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<RuleDiagnostic> diagnostics_;
};

}  // namespace idsync::sync_rules

#endif  // IDSYNC_SYNC_RULES_RULES_ERROR_HPP
