// Text functions: Left, Right, Mid, Trim, LCase, UCase, PCase, Replace, Word.
//
// Lengths and positions count characters (UTF-8 code points), not bytes. Trim, LCase, UCase,
// PCase and Replace apply to every value of a multi-valued argument (Entra documents this for
// Trim; the others follow suit rather than fail); NULL stays NULL. Left, Right, Mid and Word
// take one value and, as documented by Entra, return "" for a NULL string.
#include <string>

#include "expressions/function_support.hpp"
#include "expressions/functions.hpp"
#include "expressions/text.hpp"

namespace idsync::expr::detail {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte offset of the code point `count` code points into `s` (s.size() if past the end).
std::size_t advance(std::string_view s, std::size_t from, std::int64_t count) {
  std::size_t i = from;
  while (count > 0 && i < s.size()) {
    ++i;
    while (i < s.size() && is_continuation(s[i])) ++i;
    --count;
  }
  return i;
}

std::size_t length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += !is_continuation(c);
  return n;
}

// Case mapping covers ASCII and Latin-1 letters (U+00C0..U+00FE, which UTF-8 encodes as
// C3 80..C3 BE): the accented letters of Western European names.
void fold(std::string& s, bool upper, std::size_t pos, std::size_t end) {
  for (std::size_t i = pos; i < end; ++i) {
    char& c = s[i];
    if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < end) {
      auto& next = reinterpret_cast<unsigned char&>(s[i + 1]);
      if (upper && next >= 0xA0 && next <= 0xBE && next != 0xB7) next -= 0x20;
      if (!upper && next >= 0x80 && next <= 0x9E && next != 0x97) next += 0x20;
      ++i;
    } else {
      c = upper ? ascii_upper(c) : ascii_lower(c);
    }
  }
}

template <typename F>
Value each_text(std::span<Value> args, const Call& call, F&& f) {
  for (Scalar& s : args[0].items()) f(scalar_text_in_place(s, 0, call));
  return std::move(args[0]);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Replace's monikers: \n, \r and \t stand for newline, carriage return and tab.
std::string unescape_monikers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      if (n == 'n' || n == 'r' || n == 't') {
        out += n == 'n' ? '\n' : (n == 'r' ? '\r' : '\t');
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

// Left(str, n): the first n characters; n = 0 gives "", n < 0 the whole string.
Value fn_left(std::span<Value> args, const Call& call) {
  std::int64_t n = integer_arg(args, 1, call);
  std::string s = text_arg(args, 0, call);
  if (n >= 0) s.resize(advance(s, 0, n));
  return Value::string(std::move(s));
}

// Right(str, n): the last n characters; n = 0 gives "", n < 0 the whole string.
Value fn_right(std::span<Value> args, const Call& call) {
  std::int64_t n = integer_arg(args, 1, call);
  std::string s = text_arg(args, 0, call);
  if (n < 0) return Value::string(std::move(s));
  std::size_t len = length(s);
  if (static_cast<std::uint64_t>(n) < len)
    s.erase(0, advance(s, 0, static_cast<std::int64_t>(len) - n));
  return Value::string(std::move(s));
}

// Mid(str, start, n): n characters from 1-based `start`. As documented by Entra: n = 0 gives
// "", and n < 0, start <= 0 or start past the end return the whole string.
Value fn_mid(std::span<Value> args, const Call& call) {
  std::int64_t start = integer_arg(args, 1, call);
  std::int64_t n = integer_arg(args, 2, call);
  std::string s = text_arg(args, 0, call);
  if (n == 0) return Value::string({});
  if (n < 0 || start <= 0 || static_cast<std::uint64_t>(start) > length(s))
    return Value::string(std::move(s));
  std::size_t from = advance(s, 0, start - 1);
  std::size_t to = advance(s, from, n);
  return Value::string(s.substr(from, to - from));
}

// Trim(str | mvstr): leading and trailing white space removed from each value.
Value fn_trim(std::span<Value> args, const Call& call) {
  return each_text(args, call, [](std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    s.erase(e);
    s.erase(0, b);
  });
}

Value fn_lcase(std::span<Value> args, const Call& call) {
  return each_text(args, call, [](std::string& s) { fold(s, false, 0, s.size()); });
}

Value fn_ucase(std::span<Value> args, const Call& call) {
  return each_text(args, call, [](std::string& s) { fold(s, true, 0, s.size()); });
}

// PCase(str): the first character of each space-delimited word upper case, the rest lower
// case, so PCase("TEsT") is "Test". (Entra's remark that all-capital words may stay
// unchanged describes a defect; it is not reproduced.)
Value fn_pcase(std::span<Value> args, const Call& call) {
  return each_text(args, call, [](std::string& s) {
    bool word_start = true;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t next = advance(s, i, 1);
      if (s[i] == ' ') {
        word_start = true;
      } else {
        fold(s, word_start, i, next);
        word_start = false;
      }
      i = next;
    }
  });
}

// Replace(str, old, new): every occurrence of `old` replaced, case-sensitively; \n, \r, \t in
// `old` and `new` stand for newline, carriage return and tab.
Value fn_replace(std::span<Value> args, const Call& call) {
  if (args[1].is_null()) fail_arg(call, 1, "expected the text to replace, found NULL");
  std::string from = unescape_monikers(text_arg(args, 1, call));
  std::string to = unescape_monikers(text_arg(args, 2, call));
  if (from.empty()) fail_arg(call, 1, "the text to replace must not be empty");
  return each_text(args, call, [&](std::string& s) {
    std::string out;
    std::size_t pos = 0;
    for (std::size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
      out.append(s, pos, hit - pos);
      out += to;
    }
    if (pos == 0) return;  // nothing found: leave the value untouched
    out.append(s, pos);
    s = std::move(out);
  });
}

// Word(str, number, delimiters): the number-th (1-based) word, words being the runs of
// characters between any of the characters of `delimiters`. Runs of delimiters count as one
// separator. "" when number < 1, the string is NULL, or there are fewer words.
Value fn_word(std::span<Value> args, const Call& call) {
  std::int64_t number = integer_arg(args, 1, call);
  std::string delimiters = text_arg(args, 2, call);
  std::string s = text_arg(args, 0, call);
  if (number < 1) return Value::string({});
  std::size_t pos = 0;
  for (std::int64_t w = 1;; ++w) {
    pos = s.find_first_not_of(delimiters, pos);
    if (pos == std::string::npos) return Value::string({});
    std::size_t end = s.find_first_of(delimiters, pos);
    if (end == std::string::npos) end = s.size();
    if (w == number) return Value::string(s.substr(pos, end - pos));
    pos = end;
  }
}

}  // namespace idsync::expr::detail
