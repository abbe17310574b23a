#include "export_values.hpp"

#include <cctype>
#include <stdexcept>

#include "value_syntax.hpp"

namespace idsync::ldap {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string to_boolean(std::string_view value) {
  if (iequals(value, "true")) return "TRUE";
  if (iequals(value, "false")) return "FALSE";
  throw std::invalid_argument("\"" + std::string(value) + "\" is not a boolean (true or false)");
}

// RFC 3339 as the host writes it: "YYYY-MM-DDThh:mm:ss..." (a 'T' or 't' at offset 10).
bool looks_rfc3339(std::string_view value) {
  return value.size() >= 20 && value[4] == '-' && value[7] == '-' &&
         (value[10] == 'T' || value[10] == 't');
}

}  // namespace

std::string to_directory_value(idsync_value_type host_type, idsync_value_type declared,
                               std::string_view value) {
  switch (host_type) {
    case IDSYNC_VALUE_DATETIME:
      return rfc3339_to_generalized_time(value);
    case IDSYNC_VALUE_BOOLEAN:
      return to_boolean(value);
    case IDSYNC_VALUE_STRING:
      if (declared == IDSYNC_VALUE_DATETIME && looks_rfc3339(value))
        return rfc3339_to_generalized_time(value);
      if (declared == IDSYNC_VALUE_BOOLEAN && (iequals(value, "true") || iequals(value, "false")))
        return to_boolean(value);
      return std::string(value);
    default:  // INTEGER and REFERENCE as text, BINARY as raw bytes: as they are
      return std::string(value);
  }
}

}  // namespace idsync::ldap
