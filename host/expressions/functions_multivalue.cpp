// Multi-valued functions: Join, Split, Item, Contains, Count, RemoveDuplicates. (Select is
// evaluated lazily by the evaluator, in expression.cpp.) A single value is a list of one;
// NULL is the empty list.
#include <algorithm>

#include "expressions/function_support.hpp"
#include "expressions/functions.hpp"
#include "expressions/text.hpp"

namespace idsync::expr::detail {

// Join(mv [, delimiter]): the values' text joined by `delimiter` (default one space). NULL
// for NULL.
Value fn_join(std::span<Value> args, const Call& call) {
  std::string delimiter = args.size() > 1 ? text_arg(args, 1, call) : std::string(" ");
  if (args[0].is_null()) return {};
  std::string out;
  bool first = true;
  for (Scalar& s : args[0].items()) {
    if (!first) out += delimiter;
    out += scalar_text_in_place(s, 0, call);
    first = false;
  }
  return Value::string(std::move(out));
}

// Split(str, delimiter [, limit]): the pieces between delimiters as a multi-valued string.
// With `limit`, at most that many values, the last holding the rest (as .NET's Split).
// NULL or "" gives NULL.
Value fn_split(std::span<Value> args, const Call& call) {
  std::string delimiter = text_arg(args, 1, call);
  if (delimiter.empty()) fail_arg(call, 1, "the delimiter must not be empty");
  std::int64_t limit = args.size() > 2 ? integer_arg(args, 2, call) : INT64_MAX;
  if (limit < 1) fail_arg(call, 2, "the limit must be at least 1, found " + std::to_string(limit));
  std::string* text = text_in_place(args, 0, call);
  if (!text || text->empty()) return {};
  Value out;
  std::size_t pos = 0;
  for (std::int64_t n = 1;; ++n) {
    std::size_t hit = n < limit ? text->find(delimiter, pos) : std::string::npos;
    if (hit == std::string::npos) {
      out.push_back(Scalar::string(text->substr(pos)));
      return out;
    }
    out.push_back(Scalar::string(text->substr(pos, hit - pos)));
    pos = hit + delimiter.size();
  }
}

// Item(mv, index): the value at 1-based `index` (Contains returns such indexes). An index
// outside 1..Count is an error, as documented by Entra.
Value fn_item(std::span<Value> args, const Call& call) {
  std::int64_t index = integer_arg(args, 1, call);
  std::size_t count = args[0].size();
  if (index < 1 || static_cast<std::uint64_t>(index) > count)
    fail_arg(call, 1,
             "index " + std::to_string(index) + " is out of range: the value has " +
                 std::to_string(count) + (count == 1 ? " item" : " items"));
  return std::move(args[0][static_cast<std::size_t>(index - 1)]);
}

// Contains(mv, search [, CaseSensitive | CaseInsensitive]): the 1-based index of the first
// value that contains `search` (string values: as a substring; reference values: the whole
// DN must match), 0 when none does. Case-sensitive unless CaseInsensitive.
Value fn_contains(std::span<Value> args, const Call& call) {
  bool insensitive = false;
  if (args.size() > 2) {
    std::string mode = text_arg(args, 2, call);
    if (iequals(mode, "CaseInsensitive"))
      insensitive = true;
    else if (!iequals(mode, "CaseSensitive"))
      fail_arg(call, 2, "expected CaseSensitive or CaseInsensitive, found \"" + mode + "\"");
  }
  std::string search = text_arg(args, 1, call);
  if (insensitive) search = ascii_lower(search);
  std::int64_t index = 0;
  for (Scalar& s : args[0].items()) {
    ++index;
    bool reference = s.type == ValueType::reference;
    std::string& text = scalar_text_in_place(s, 0, call);
    std::string folded;
    const std::string& hay = insensitive ? (folded = ascii_lower(text)) : text;
    if (reference ? hay == search : hay.find(search) != std::string::npos)
      return Value::integer(index);
  }
  return Value::integer(0);
}

// Count(mv): the number of values; 0 for NULL.
Value fn_count(std::span<Value> args, const Call&) {
  return Value::integer(static_cast<std::int64_t>(args[0].size()));
}

// RemoveDuplicates(mv): the values with later exact duplicates (same type and bytes) dropped,
// order kept.
Value fn_remove_duplicates(std::span<Value> args, const Call&) {
  auto items = args[0].items();
  if (items.size() < 2) return std::move(args[0]);
  Value out;
  for (Scalar& s : items) {
    auto kept = out.items();
    if (std::find(kept.begin(), kept.end(), s) == kept.end()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace idsync::expr::detail
