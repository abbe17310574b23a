// One rule-plugin function made callable from expressions.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <memory>
#include <string>

#include "expressions/registry.hpp"

namespace idsync::rule_plugins {

// What the host knows of a plugin function, copied out of the plugin_host::Registry so that
// compiled expressions do not depend on the Registry's lifetime (the plugin library itself is
// never unloaded, so `call` stays valid for the process).
struct PluginFunction {
  std::string name;  // as called in expressions
  std::string doc;
  std::string plugin;     // the plugin's name, for messages
  std::string rule_type;  // the rule type's id
  uint32_t min_args = 0;
  uint32_t max_args = 0;
  idsync_status (*call)(const idsync_value_list* const*, size_t, const idsync_value_sink*,
                        const idsync_diag*) = nullptr;
  const idsync_host_info* log_to = nullptr;  // where its log lines go (host_log.hpp)
};

// An expr::ExternalFunction calling `fn`: converts the arguments (value_bridge.hpp), collects
// the values the plugin pushes, and throws std::runtime_error("plugin '<p>': <its message>")
// when the call fails or pushes a value that is invalid for its type; the evaluator turns that
// into an EvalError naming the function and column. Thread-safe: all state is per call.
expr::ExternalFunction make_external(std::shared_ptr<const PluginFunction> fn);

}  // namespace idsync::rule_plugins
