// Helpers shared by the sync rules unit tests.
#ifndef IDSYNC_TESTS_UNIT_SYNC_RULES_SUPPORT_HPP
#define IDSYNC_TESTS_UNIT_SYNC_RULES_SUPPORT_HPP

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sync_rules/loader.hpp"
#include "sync_rules/rules_error.hpp"

namespace idsync::sync_rules::test {

// The connectors of the demo manifest, as a loader would get them from it.
inline LoadOptions demo_options() {
  LoadOptions o;
  o.known_connectors = std::vector<std::string>{"HR", "Badges", "Directory"};
  return o;
}

// The RulesError of loading `files`; fails the test when they load.
inline RulesError error_of(const std::vector<RuleFileText>& files,
                           const LoadOptions& options = demo_options()) {
  try {
    parse_rules(files, options);
  } catch (const RulesError& e) {
    return e;
  }
  FAIL("the rules loaded, but problems were expected");
  throw;  // unreachable: FAIL throws
}

// Every problem of loading one file named "hr.json", rendered as what() lists them.
inline std::vector<std::string> problems_of(const std::string& text,
                                            const LoadOptions& options = demo_options()) {
  std::vector<std::string> out;
  const RulesError e = error_of({{"hr.json", text}}, options);
  for (const RuleDiagnostic& d : e.diagnostics()) out.push_back(to_string(d));
  return out;
}

// A valid rule with `extra` spliced in after the required keys, e.g.
// rule_with(R"("scoping": [[...]])").
inline std::string rule_with(const std::string& extra, const std::string& name = "HR in",
                             int precedence = 100) {
  std::string out = R"({"name": ")" + name +
                    R"(", "direction": "inbound", "connector": "HR", "cs_object_type": "person",
    "mv_object_type": "person", "precedence": )" +
                    std::to_string(precedence);
  if (!extra.empty()) out += ", " + extra;
  return out + "}";
}

}  // namespace idsync::sync_rules::test

#endif  // IDSYNC_TESTS_UNIT_SYNC_RULES_SUPPORT_HPP
