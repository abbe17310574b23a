// Scoping: whether a rule applies to an object, from the object's attribute values alone.
//
// Semantics follow Entra Connect Sync's declarative provisioning ("Scope" module): a filter is an
// OR of groups, a group an AND of clauses, and a rule without groups has every object of its
// object type in scope. For an inbound rule the attributes are the connector-space object's; for
// an outbound rule they are the metaverse object's.
//
// Per clause, with V the attribute's values (empty when the attribute is absent):
//
//   EQUAL v          some value of V equals v
//   NOTEQUAL v       no value of V equals v              (true when absent)
//   STARTSWITH v     some value of V starts with v
//   NOTSTARTSWITH v  no value of V starts with v         (true when absent)
//   ENDSWITH v       some value of V ends with v
//   NOTENDSWITH v    no value of V ends with v           (true when absent)
//   CONTAINS v       some value of V contains v
//   NOTCONTAINS v    no value of V contains v            (true when absent)
//   ISNULL           V is empty
//   ISNOTNULL        V is not empty
//   ISBITSET m       some value of V is a decimal integer with every bit of m set
//   ISNOTBITSET m    no value of V is such an integer    (true when absent or not a number)
//   ISMEMBEROF g     member_of(g) is true
//   ISNOTMEMBEROF g  member_of(g) is false
//
// Multi-valued attributes: a positive operator holds when any value matches, its negation when
// no value does, so each NOT operator is exactly the negation of its positive twin. Entra
// documents EQUAL/NOTEQUAL for single values and ISIN/ISNOTIN as their multi-valued variants;
// with "any value" semantics the two pairs coincide, which is why ISIN/ISNOTIN are not separate
// operators here.
//
// Case: string comparisons ignore ASCII case (bytes outside ASCII compare exactly). Entra's
// documentation does not state the case rule of scoping clauses; the directory attributes they
// test (department, company, extensionAttributeN, DNs) match case-insensitively in AD and LDAP,
// and an admin writing "sales" for "Sales" means the same department. Join conditions, by
// contrast, carry their own case_sensitive flag.
//
// Bit masks: attribute values are parsed as signed 64-bit decimal integers, so that AD's signed
// groupType (-2147483646) tests bit 2147483648 correctly; a value that is not such an integer
// never has a bit set.
#ifndef IDSYNC_SYNC_RULES_SCOPING_HPP
#define IDSYNC_SYNC_RULES_SCOPING_HPP

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "sync_rules/rule.hpp"

namespace idsync::sync_rules {

// The values of the evaluated object's attribute `name`, looked up ignoring ASCII case; an empty
// span when the object has no such attribute (absent and empty are the same, as in the store).
// The span must stay valid until the next call.
using AttributeSource = std::function<std::span<const std::string>(std::string_view name)>;

// Whether the evaluated object is a member of the group named by `group` (its DN or anchor, as
// written in the rule). The engine binds it to the object and its connector space. An empty
// function means membership is unknown: every ISMEMBEROF clause is then false and every
// ISNOTMEMBEROF clause true.
using MemberOfFn = std::function<bool(std::string_view group)>;

bool condition_holds(const ScopeCondition& condition, const AttributeSource& attributes,
                     const MemberOfFn& member_of);

// The filter's verdict for one object, as described above. `attributes` is called once per
// clause evaluated; evaluation stops at the first group that holds.
bool in_scope(const ScopingFilter& filter, const AttributeSource& attributes,
              const MemberOfFn& member_of);

}  // namespace idsync::sync_rules

#endif  // IDSYNC_SYNC_RULES_SCOPING_HPP
