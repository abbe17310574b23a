// Tokenizer of the expression language. Internal to idsync_expressions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::expr::detail {

enum class TokenKind {
  end,
  attribute,   // [name]; text = name
  variable,    // $name (Select's iteration variable); text = name
  identifier,  // function names, True/False/NULL/..., enum constants
  string,      // "..."; text = unescaped contents
  integer,     // decimal (optionally negative) or &H hex; number = value
  lparen,
  rparen,
  comma,
  amp,  // &
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  and_and,
  or_or,
  bang,
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::size_t column = 0;  // 1-based
  std::string text;
  std::int64_t number = 0;
};

// The whole source as tokens, ending with one `end` token. Throws ParseError on a character
// that starts no token, an unterminated string or attribute, or an integer out of range.
std::vector<Token> tokenize(std::string_view source);

// How a token is named in "found ..." parts of parse errors: `end of expression`, `","`,
// `string "abc"`, `number 42`, `attribute [sn]`, `"Foo"`.
std::string describe(const Token& t);

}  // namespace idsync::expr::detail
