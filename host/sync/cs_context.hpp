// A connector-space object seen by the rule machinery: as an expression's EvalContext, and as
// the AttributeSource that scoping filters read.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "expressions/context.hpp"
#include "expressions/value.hpp"
#include "store/cs_object.hpp"
#include "sync_rules/scoping.hpp"

namespace idsync::sync {

// Converts one stored value (SDK text encoding, see plugin_abi.h) to an expression scalar. A
// value that does not parse as its declared type (an integer attribute holding "x") is passed
// as a string rather than dropped, so that expressions can still see and report it.
expr::Scalar to_scalar(idsync_value_type type, const std::string& text);

// The reverse, for values an expression produced: the SDK text of each scalar, and the type of
// the first (a contribution has one type).
struct StoredValues {
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;
};
StoredValues to_stored(const expr::Value& value);

// Holds a reference to `object`, which must outlive the context. Values are converted on first
// use and kept, since several rules usually read the same attributes.
class CsContext : public expr::EvalContext {
 public:
  // `member_of` answers ISMEMBEROF for this object (membership.hpp); empty: never a member.
  CsContext(const store::CsObject& object, expr::TimePoint now,
            sync_rules::MemberOfFn member_of = {})
      : object_(object), now_(now), member_of_(std::move(member_of)) {}

  const expr::Value* attribute(std::string_view name) const override;
  expr::TimePoint now() const override { return now_; }

  // For sync_rules::in_scope: the stored values, by name ignoring case.
  sync_rules::AttributeSource attribute_source() const;
  const store::CsObject& object() const { return object_; }
  const sync_rules::MemberOfFn& member_of() const { return member_of_; }

 private:
  const store::CsObject& object_;
  expr::TimePoint now_;
  sync_rules::MemberOfFn member_of_;
  mutable std::map<std::string, expr::Value, std::less<>> converted_;  // lowercase name
};

}  // namespace idsync::sync
