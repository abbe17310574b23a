// A metaverse object seen by the rule machinery of outbound sync: as an expression's
// EvalContext, and as the AttributeSource that outbound scoping filters read.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "expressions/context.hpp"
#include "expressions/value.hpp"
#include "store/mv_object.hpp"
#include "sync_rules/scoping.hpp"

namespace idsync::sync {

// Holds a reference to `object`, which must outlive the context. Values are converted on first
// use and kept, since the rules of several target connectors usually read the same attributes.
class MvContext : public expr::EvalContext {
 public:
  MvContext(const store::MvObject& object, expr::TimePoint now) : object_(object), now_(now) {}

  const expr::Value* attribute(std::string_view name) const override;
  expr::TimePoint now() const override { return now_; }

  // For sync_rules::in_scope: the stored values, by name ignoring case.
  sync_rules::AttributeSource attribute_source() const;
  const store::MvObject& object() const { return object_; }

 private:
  const store::MvObject& object_;
  expr::TimePoint now_;
  mutable std::map<std::string, expr::Value, std::less<>> converted_;  // lowercase name
};

}  // namespace idsync::sync
