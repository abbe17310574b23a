#include "sync_rules/scoping.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

#include "sync_rules/ascii.hpp"

namespace idsync::sync_rules {

namespace {

using detail::iequal;

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequal(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequal(s.substr(s.size() - suffix.size()), suffix);
}

bool icontains(std::string_view s, std::string_view needle) {
  if (needle.size() > s.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i)
    if (iequal(s.substr(i, needle.size()), needle)) return true;
  return false;
}

std::optional<std::int64_t> parse_integer(std::string_view s) {
  std::int64_t n = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, n);
  if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
  return n;
}

bool has_bits(std::string_view value, std::int64_t mask) {
  const auto n = parse_integer(value);
  if (!n) return false;
  // Bitwise on the two's complement pattern: negative values (AD's groupType) keep their bits.
  const auto bits = static_cast<std::uint64_t>(*n);
  const auto m = static_cast<std::uint64_t>(mask);
  return (bits & m) == m;
}

// The positive form of every operator that tests values: whether one value matches.
bool value_matches(ScopeOperator op, std::string_view value, const ScopeCondition& c) {
  switch (op) {
    case ScopeOperator::kEqual:
    case ScopeOperator::kNotEqual:
      return iequal(value, c.value);
    case ScopeOperator::kStartsWith:
    case ScopeOperator::kNotStartsWith:
      return istarts_with(value, c.value);
    case ScopeOperator::kEndsWith:
    case ScopeOperator::kNotEndsWith:
      return iends_with(value, c.value);
    case ScopeOperator::kContains:
    case ScopeOperator::kNotContains:
      return icontains(value, c.value);
    case ScopeOperator::kIsBitSet:
    case ScopeOperator::kIsNotBitSet:
      return c.bit_mask && has_bits(value, *c.bit_mask);
    default:
      return false;
  }
}

bool is_negative(ScopeOperator op) {
  switch (op) {
    case ScopeOperator::kNotEqual:
    case ScopeOperator::kNotStartsWith:
    case ScopeOperator::kNotEndsWith:
    case ScopeOperator::kNotContains:
    case ScopeOperator::kIsNotBitSet:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool condition_holds(const ScopeCondition& c, const AttributeSource& attributes,
                     const MemberOfFn& member_of) {
  switch (c.op) {
    case ScopeOperator::kIsMemberOf:
      return member_of && member_of(c.value);
    case ScopeOperator::kIsNotMemberOf:
      return !(member_of && member_of(c.value));
    case ScopeOperator::kIsNull:
      return attributes(c.attribute).empty();
    case ScopeOperator::kIsNotNull:
      return !attributes(c.attribute).empty();
    default:
      break;
  }
  bool any = false;
  for (const std::string& v : attributes(c.attribute)) {
    if (value_matches(c.op, v, c)) {
      any = true;
      break;
    }
  }
  return is_negative(c.op) ? !any : any;
}

bool in_scope(const ScopingFilter& filter, const AttributeSource& attributes,
              const MemberOfFn& member_of) {
  if (filter.groups.empty()) return true;
  for (const ScopeGroup& group : filter.groups) {
    bool all = true;
    for (const ScopeCondition& c : group.conditions) {
      if (!condition_holds(c, attributes, member_of)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

}  // namespace idsync::sync_rules
