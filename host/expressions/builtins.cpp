#include "expressions/builtins.hpp"

#include <array>

#include "expressions/functions.hpp"
#include "expressions/text.hpp"

namespace idsync::expr::detail {
namespace {

constexpr std::array<std::string_view, 2> kCaseTypes = {"CaseSensitive", "CaseInsensitive"};
constexpr std::array<std::string_view, 2> kEncodings = {"Unicode", "UTF8"};

const BuiltinSpec kTable[] = {
    // Program flow and inspection
    {"IIF", 3, 3, NodeKind::iif, nullptr},
    {"Coalesce", 1, kVariadic, NodeKind::coalesce, nullptr},
    {"IsPresent", 1, 1, NodeKind::builtin, fn_is_present},
    {"IsNullOrEmpty", 1, 1, NodeKind::builtin, fn_is_null_or_empty},
    {"IsString", 1, 1, NodeKind::builtin, fn_is_string},
    // Text
    {"Left", 2, 2, NodeKind::builtin, fn_left},
    {"Right", 2, 2, NodeKind::builtin, fn_right},
    {"Mid", 3, 3, NodeKind::builtin, fn_mid},
    {"Trim", 1, 1, NodeKind::builtin, fn_trim},
    {"LCase", 1, 1, NodeKind::builtin, fn_lcase},
    {"UCase", 1, 1, NodeKind::builtin, fn_ucase},
    {"PCase", 1, 1, NodeKind::builtin, fn_pcase},
    {"Replace", 3, 3, NodeKind::builtin, fn_replace},
    {"Word", 3, 3, NodeKind::builtin, fn_word},
    // Conversion and math
    {"CStr", 1, 1, NodeKind::builtin, fn_cstr},
    {"CNum", 1, 1, NodeKind::builtin, fn_cnum},
    {"CBool", 1, 1, NodeKind::builtin, fn_cbool},
    {"BitAnd", 2, 2, NodeKind::builtin, fn_bitand},
    {"BitOr", 2, 2, NodeKind::builtin, fn_bitor},
    {"ConvertToBase64", 1, 1, NodeKind::builtin, fn_convert_to_base64},
    {"ConvertFromBase64", 1, 2, NodeKind::builtin, fn_convert_from_base64, 1, kEncodings},
    {"ConvertToUTF8Hex", 1, 1, NodeKind::builtin, fn_convert_to_utf8_hex},
    {"StringFromGuid", 1, 1, NodeKind::builtin, fn_string_from_guid},
    {"StringFromSid", 1, 1, NodeKind::builtin, fn_string_from_sid},
    // Multi-valued
    {"Join", 1, 2, NodeKind::builtin, fn_join},
    {"Split", 2, 3, NodeKind::builtin, fn_split},
    {"Item", 2, 2, NodeKind::builtin, fn_item},
    {"Contains", 2, 3, NodeKind::builtin, fn_contains, 2, kCaseTypes},
    {"Count", 1, 1, NodeKind::builtin, fn_count},
    {"RemoveDuplicates", 1, 1, NodeKind::builtin, fn_remove_duplicates},
    {"Select", 3, 3, NodeKind::select, nullptr},
    // Date/time
    {"Now", 0, 0, NodeKind::builtin, fn_now},
    {"DateAdd", 3, 3, NodeKind::builtin, fn_date_add},
    {"FormatDateTime", 2, 2, NodeKind::builtin, fn_format_date_time},
};

}  // namespace

std::span<const BuiltinSpec> builtin_table() { return kTable; }

std::optional<std::uint32_t> find_builtin(std::string_view name) {
  for (std::uint32_t i = 0; i < std::size(kTable); ++i)
    if (iequals(kTable[i].name, name)) return i;
  return std::nullopt;
}

bool is_reserved_constant(std::string_view name) {
  for (std::string_view c : {"True", "False", "NULL", "AuthoritativeNull", "IgnoreThisFlow"})
    if (iequals(c, name)) return true;
  return false;
}

}  // namespace idsync::expr::detail
