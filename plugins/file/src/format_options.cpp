#include "format_options.hpp"

namespace idsync::file {

std::string_view format_name(Format f) {
  switch (f) {
    case Format::csv:
      return "csv";
    case Format::ldif:
      return "ldif";
    case Format::jsonl:
      return "jsonl";
  }
  return "?";
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool FormatOptions::anchor_is_dn() const {
  switch (format) {
    case Format::csv:
      return !dn_column.empty() && anchor == dn_column;
    case Format::ldif:
      return iequals(anchor, "dn");
    case Format::jsonl:
      return anchor == "_dn";
  }
  return false;
}

bool FormatOptions::same_name(std::string_view a, std::string_view b) const {
  return format == Format::ldif ? iequals(a, b) : a == b;
}

bool FormatOptions::is_reference(std::string_view name) const {
  for (const std::string& a : reference_attributes)
    if (same_name(a, name)) return true;
  return false;
}

bool FormatOptions::wants_attribute(std::string_view name) const {
  if (attributes.empty() || same_name(name, anchor)) return true;
  for (const std::string& a : attributes)
    if (same_name(a, name)) return true;
  return false;
}

}  // namespace idsync::file
