#include "expressions/lexer.hpp"

#include <charconv>

#include "expressions/errors.hpp"

namespace idsync::expr::detail {
namespace {

bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class Lexer {
 public:
  explicit Lexer(std::string_view s) : src_(s) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      while (pos_ < src_.size() &&
             (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\r' || src_[pos_] == '\n'))
        ++pos_;
      Token t;
      t.column = pos_ + 1;
      if (pos_ >= src_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      lex_one(t);
      out.push_back(std::move(t));
    }
  }

 private:
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  void lex_one(Token& t) {
    char c = src_[pos_];
    switch (c) {
      case '(':
        return single(t, TokenKind::lparen);
      case ')':
        return single(t, TokenKind::rparen);
      case ',':
        return single(t, TokenKind::comma);
      case '=':
        return single(t, TokenKind::eq);
      case '!':
        return single(t, TokenKind::bang);
      case '<':
        if (peek(1) == '=') return pair(t, TokenKind::le);
        if (peek(1) == '>') return pair(t, TokenKind::ne);
        return single(t, TokenKind::lt);
      case '>':
        if (peek(1) == '=') return pair(t, TokenKind::ge);
        return single(t, TokenKind::gt);
      case '|':
        if (peek(1) == '|') return pair(t, TokenKind::or_or);
        throw ParseError(t.column, "unexpected \"|\"; the logical or operator is \"||\"");
      case '&':
        if (peek(1) == '&') return pair(t, TokenKind::and_and);
        if ((peek(1) == 'H' || peek(1) == 'h') && is_hex(peek(2)) && hex_literal(t)) return;
        return single(t, TokenKind::amp);
      case '"':
        return string_literal(t);
      case '[':
        return bracketed(t);
      case '$':
        ++pos_;
        if (!is_ident_start(peek()))
          throw ParseError(t.column, "expected a variable name after \"$\"");
        t.kind = TokenKind::variable;
        t.text = identifier_text();
        return;
      default:
        break;
    }
    if (is_digit(c) || (c == '-' && is_digit(peek(1)))) return decimal_literal(t);
    if (is_ident_start(c)) {
      t.kind = TokenKind::identifier;
      t.text = identifier_text();
      return;
    }
    if (c == '-')
      throw ParseError(t.column, "unexpected \"-\"; a minus sign is only allowed before digits");
    std::string shown =
        (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80)
            ? "byte " + std::to_string(static_cast<unsigned char>(c))
            : "\"" + std::string(1, c) + "\"";
    throw ParseError(t.column, "unexpected character " + shown);
  }

  void single(Token& t, TokenKind k) {
    t.kind = k;
    ++pos_;
  }
  void pair(Token& t, TokenKind k) {
    t.kind = k;
    pos_ += 2;
  }

  std::string identifier_text() {
    std::size_t start = pos_;
    while (pos_ < src_.size() && is_ident_char(src_[pos_])) ++pos_;
    return std::string(src_.substr(start, pos_ - start));
  }

  // "&H" followed by hex digits, as in the Entra docs' BitAnd(&HF, &HF7). Returns false (and
  // leaves "&" to be concatenation) when the run continues as a name, e.g. `"a" &Hello(...)`.
  bool hex_literal(Token& t) {
    std::size_t p = pos_ + 2;
    while (p < src_.size() && is_hex(src_[p])) ++p;
    if (p < src_.size() && is_ident_char(src_[p])) return false;
    std::uint64_t n = 0;
    auto digits = src_.substr(pos_ + 2, p - pos_ - 2);
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), n, 16);
    if (r.ec != std::errc{}) throw ParseError(t.column, "hex literal out of 64-bit range");
    t.kind = TokenKind::integer;
    t.number = static_cast<std::int64_t>(n);
    pos_ = p;
    return true;
  }

  void decimal_literal(Token& t) {
    std::size_t start = pos_;
    if (src_[pos_] == '-') ++pos_;
    while (pos_ < src_.size() && is_digit(src_[pos_])) ++pos_;
    if (pos_ < src_.size() && is_ident_char(src_[pos_]))
      throw ParseError(pos_ + 1, "unexpected \"" + std::string(1, src_[pos_]) +
                                     "\" after number; numbers are whole decimal numbers");
    auto text = src_.substr(start, pos_ - start);
    auto r = std::from_chars(text.data(), text.data() + text.size(), t.number);
    if (r.ec != std::errc{})
      throw ParseError(t.column, "number " + std::string(text) + " is out of 64-bit range");
    t.kind = TokenKind::integer;
  }

  void string_literal(Token& t) {
    ++pos_;
    t.kind = TokenKind::string;
    for (;;) {
      if (pos_ >= src_.size())
        throw ParseError(pos_ + 1, "expected \"\\\"\" to close the string opened at column " +
                                       std::to_string(t.column) + ", found end of expression");
      char c = src_[pos_++];
      if (c == '"') return;
      // Only \" and \\ are escapes. Any other backslash stays, because Replace gives \n, \r
      // and \t their meaning (Replace([address], "\r\n", ", ") in the Entra docs).
      if (c == '\\' && (peek() == '"' || peek() == '\\')) c = src_[pos_++];
      t.text += c;
    }
  }

  void bracketed(Token& t) {
    ++pos_;
    std::size_t start = pos_;
    while (pos_ < src_.size() && src_[pos_] != ']') ++pos_;
    if (pos_ >= src_.size())
      throw ParseError(pos_ + 1, "expected \"]\" to close the attribute name opened at column " +
                                     std::to_string(t.column) + ", found end of expression");
    auto name = src_.substr(start, pos_ - start);
    ++pos_;
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) throw ParseError(t.column, "empty attribute name \"[]\"");
    t.kind = TokenKind::attribute;
    t.text = std::string(name);
  }

  std::string_view src_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) { return Lexer(source).run(); }

std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::end:
      return "end of expression";
    case TokenKind::attribute:
      return "attribute [" + t.text + "]";
    case TokenKind::variable:
      return "variable $" + t.text;
    case TokenKind::identifier:
      return "\"" + t.text + "\"";
    case TokenKind::string:
      return "string \"" + t.text + "\"";
    case TokenKind::integer:
      return "number " + std::to_string(t.number);
    case TokenKind::lparen:
      return "\"(\"";
    case TokenKind::rparen:
      return "\")\"";
    case TokenKind::comma:
      return "\",\"";
    case TokenKind::amp:
      return "\"&\"";
    case TokenKind::eq:
      return "\"=\"";
    case TokenKind::ne:
      return "\"<>\"";
    case TokenKind::lt:
      return "\"<\"";
    case TokenKind::le:
      return "\"<=\"";
    case TokenKind::gt:
      return "\">\"";
    case TokenKind::ge:
      return "\">=\"";
    case TokenKind::and_and:
      return "\"&&\"";
    case TokenKind::or_or:
      return "\"||\"";
    case TokenKind::bang:
      return "\"!\"";
  }
  return "?";
}

}  // namespace idsync::expr::detail
