#include "attribute_description.hpp"

#include <charconv>
#include <stdexcept>

namespace idsync::ldap {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Letters, digits and '-' (RFC 4512 keychar), and '_', which some directories allow.
bool is_keychar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string_view name_part(std::string_view text) { return text.substr(0, text.find(';')); }

[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw std::invalid_argument("attribute description '" + std::string(text) + "': " + why);
}

// Parses a non-empty run of decimal digits into `out`; false on anything else or overflow.
bool parse_number(std::string_view digits, uint64_t& out) {
  if (digits.empty()) return false;
  for (const char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && end == digits.data() + digits.size();
}

// "low-high" or "low-*" (the part after "range=").
void parse_range(std::string_view text, std::string_view range, AttributeDescription& out) {
  const std::size_t dash = range.find('-');
  if (dash == std::string_view::npos) fail(text, "the range option needs the form low-high");
  if (!parse_number(range.substr(0, dash), out.range_low)) {
    fail(text, "the range's low bound is not a number");
  }
  const std::string_view high = range.substr(dash + 1);
  if (high == "*") {
    out.range_high = std::nullopt;
  } else {
    uint64_t value = 0;
    if (!parse_number(high, value)) fail(text, "the range's high bound is not a number or '*'");
    if (value < out.range_low) fail(text, "the range's high bound is below its low bound");
    out.range_high = value;
  }
  out.ranged = true;
}

}  // namespace

AttributeDescription parse_attribute_description(std::string_view text) {
  AttributeDescription out;
  const std::string_view name = name_part(text);
  if (name.empty()) fail(text, "no attribute name");
  for (const char c : name) {
    if (!is_keychar(c) && c != '.') fail(text, "the attribute name has a bad character");
  }
  out.name = std::string(name);

  std::string_view rest = text.substr(name.size());
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the ';'
    const std::size_t end = rest.find(';');
    const std::string_view option = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (option.empty()) fail(text, "an empty option");
    std::string lowered;
    for (const char c : option) lowered += lower(c);
    if (lowered.starts_with("range=")) {
      if (out.ranged) fail(text, "more than one range option");
      parse_range(text, option.substr(6), out);
      continue;
    }
    for (const char c : option) {
      if (!is_keychar(c)) fail(text, "an option has a bad character");
    }
    out.options.push_back(std::move(lowered));
  }
  return out;
}

bool same_attribute(std::string_view a, std::string_view b) {
  a = name_part(a);
  b = name_part(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace idsync::ldap
