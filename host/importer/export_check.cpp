#include "importer/export_check.hpp"

#include <algorithm>
#include <vector>

#include "common/printable.hpp"

namespace idsync::importer {

namespace {

// Enough of a value list to recognise it in a message, which a photo or a 100,000-member
// group must not swamp.
constexpr size_t kShownValues = 10;
constexpr size_t kShownBytes = 100;

std::vector<std::string> value_set(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::string show_value(const std::string& value, idsync_value_type type) {
  if (type == IDSYNC_VALUE_BINARY) {
    std::string hex = common::printable(value);
    return hex.size() > kShownBytes ? hex.substr(0, kShownBytes) + "..." : hex;
  }
  if (value.size() <= kShownBytes) return "\"" + value + "\"";
  size_t cut = kShownBytes;  // not inside a UTF-8 sequence
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + value.substr(0, cut) + "...\"";
}

std::string show_values(const std::vector<std::string>& values, idsync_value_type type) {
  if (values.empty()) return "no value";
  if (values.size() == 1) return show_value(values.front(), type);
  std::string out = "[";
  for (size_t i = 0; i < values.size() && i < kShownValues; ++i)
    out += (i ? ", " : "") + show_value(values[i], type);
  if (values.size() > kShownValues) out += ", ... (" + std::to_string(values.size()) + " values)";
  return out + "]";
}

void add_difference(std::string& message, const std::string& what, const std::string& exported,
                    const std::string& imported) {
  if (!message.empty()) message += "; ";
  message += what + ": exported " + exported + ", imported " + imported;
}

}  // namespace

std::string not_reimported(const store::ExportConfirm& exported, const store::CsObject& imported,
                           const store::SecretAttributes& secrets) {
  std::string message;
  if (!exported.dn.empty() && !store::iequals(exported.dn, imported.dn))
    add_difference(message, "DN", "\"" + exported.dn + "\"",
                   imported.dn.empty() ? "no DN" : "\"" + imported.dn + "\"");
  static const std::vector<std::string> kNone;
  for (const store::Attribute& sent : exported.attributes) {
    if (secrets.contains(sent.name)) continue;
    const store::Attribute* seen = imported.find(sent.name);
    const std::vector<std::string>& seen_values = seen ? seen->values : kNone;
    if (value_set(sent.values) == value_set(seen_values)) continue;
    add_difference(message, sent.name, show_values(sent.values, sent.type),
                   show_values(seen_values, seen ? seen->type : sent.type));
  }
  return message;
}

}  // namespace idsync::importer
