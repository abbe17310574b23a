// The sync rules of a manifest, loaded once per Runtime, with the expression functions they may
// call: the built-ins plus every loaded rule plugin's functions. Both live together because a
// compiled rule expression may refer to the plugin functions, so the registry must outlive
// every sync step that uses the rules.
#pragma once

#include <memory>

#include "expressions/registry.hpp"
#include "manifest/manifest.hpp"
#include "plugin_host/registry.hpp"
#include "sync_rules/rule_set.hpp"

namespace idsync::runtime {

struct LoadedRules {
  // Heap-allocated so that its address stays put for the rule expressions checked against it.
  std::unique_ptr<expr::FunctionRegistry> functions;
  sync_rules::RuleSet rules;
};

// Reads the manifest's rules folder, checking connector names against the manifest and every
// expression against the built-ins and the rule plugins of `plugins` (their clashes are logged
// as warnings). Throws sync_rules::RulesError listing every problem.
LoadedRules load_manifest_rules(const manifest::Manifest& manifest,
                                const plugin_host::Registry& plugins);

}  // namespace idsync::runtime
