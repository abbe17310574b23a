// Built-in function implementations, grouped by theme in functions_*.cpp. Internal to
// idsync_expressions; the table that names them is builtins.cpp.
#pragma once

#include "expressions/builtins.hpp"

namespace idsync::expr::detail {

#define IDSYNC_EXPR_FN(name) Value fn_##name(std::span<Value> args, const Call& call)

// functions_text.cpp
IDSYNC_EXPR_FN(left);
IDSYNC_EXPR_FN(right);
IDSYNC_EXPR_FN(mid);
IDSYNC_EXPR_FN(trim);
IDSYNC_EXPR_FN(lcase);
IDSYNC_EXPR_FN(ucase);
IDSYNC_EXPR_FN(pcase);
IDSYNC_EXPR_FN(replace);
IDSYNC_EXPR_FN(word);

// functions_conversion.cpp
IDSYNC_EXPR_FN(cstr);
IDSYNC_EXPR_FN(cnum);
IDSYNC_EXPR_FN(cbool);
IDSYNC_EXPR_FN(bitand);
IDSYNC_EXPR_FN(bitor);
IDSYNC_EXPR_FN(convert_to_base64);
IDSYNC_EXPR_FN(convert_from_base64);
IDSYNC_EXPR_FN(convert_to_utf8_hex);
IDSYNC_EXPR_FN(string_from_guid);
IDSYNC_EXPR_FN(string_from_sid);

// functions_inspection.cpp
IDSYNC_EXPR_FN(is_present);
IDSYNC_EXPR_FN(is_null_or_empty);
IDSYNC_EXPR_FN(is_string);

// functions_multivalue.cpp
IDSYNC_EXPR_FN(join);
IDSYNC_EXPR_FN(split);
IDSYNC_EXPR_FN(item);
IDSYNC_EXPR_FN(contains);
IDSYNC_EXPR_FN(count);
IDSYNC_EXPR_FN(remove_duplicates);

// functions_datetime.cpp
IDSYNC_EXPR_FN(now);
IDSYNC_EXPR_FN(date_add);
IDSYNC_EXPR_FN(format_date_time);

#undef IDSYNC_EXPR_FN

}  // namespace idsync::expr::detail
