#include "sync_rules/rules_error.hpp"

#include <utility>

namespace idsync::sync_rules {

std::string to_string(const RuleDiagnostic& d) {
  // file:line:col reads as one location, like a compiler's; everything else gets ": ".
  const bool positioned = d.diagnostic.line != 0;
  return d.file + (positioned ? ":" : ": ") + manifest::to_string(d.diagnostic);
}

namespace {

std::string describe(const std::vector<RuleDiagnostic>& diagnostics) {
  if (diagnostics.empty()) return "invalid sync rules";
  if (diagnostics.size() == 1) return to_string(diagnostics.front());
  std::string out = std::to_string(diagnostics.size()) + " problems in the sync rules:";
  for (const RuleDiagnostic& d : diagnostics) out += "\n  " + to_string(d);
  return out;
}

}  // namespace

RulesError::RulesError(std::vector<RuleDiagnostic> diagnostics)
    : std::runtime_error(describe(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace idsync::sync_rules
