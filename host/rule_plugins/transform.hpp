// One rule-plugin transform (idsync_rule_transform) with a C++ call wrapper: object attributes
// in, the attributes it sets out.
#pragma once

#include <idsync/plugin_abi.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "expressions/value.hpp"

namespace idsync::rule_plugins {

// One attribute going into or coming out of a transform.
struct TransformAttribute {
  std::string name;
  expr::Value value;  // out: NULL means the transform clears the attribute
  friend bool operator==(const TransformAttribute&, const TransformAttribute&) = default;
};
using TransformAttributes = std::vector<TransformAttribute>;

// A failed transform call. what() is one line: "transform '<name>' of plugin '<p>': <why>".
class TransformError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Transform {
 public:
  // `log_to`: where the plugin's log lines go (plugin_host::host_info_for), lives for the
  // process like `apply` itself.
  Transform(std::string name, std::string doc, std::string plugin, std::string rule_type,
            decltype(idsync_rule_transform::apply) apply, const idsync_host_info* log_to);

  const std::string& name() const { return name_; }
  const std::string& doc() const { return doc_; }
  const std::string& plugin() const { return plugin_; }
  const std::string& rule_type() const { return rule_type_; }

  // Runs the transform on an object of `object_type` with `attributes` (NULL-valued ones are
  // passed as absent). Returns the attributes it sets, in the order it set them; each REPLACES
  // that attribute. Throws TransformError when the plugin fails or produces something invalid
  // (an op other than REPLACE, a value invalid for its type). Thread-safe.
  TransformAttributes apply(std::string_view object_type,
                            const TransformAttributes& attributes) const;

 private:
  std::string name_, doc_, plugin_, rule_type_;
  decltype(idsync_rule_transform::apply) apply_;
  const idsync_host_info* log_to_;
};

}  // namespace idsync::rule_plugins
