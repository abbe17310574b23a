#include "phone.hpp"

#include <idsync/sdk.hpp>

namespace contoso {

namespace {

[[noreturn]] void fail(std::string_view number, const std::string& why) {
  throw idsync::sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                           "phone number \"" + std::string(number) + "\" " + why);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}

// Where an extension starts ("x", "ext", "#", ";"), once some digits have been seen.
bool starts_extension(char c) {
  return c == 'x' || c == 'X' || c == 'e' || c == 'E' || c == '#' || c == ';';
}

struct Scanned {
  bool plus = false;
  std::string digits;
  // Position in `digits` of a "(0)" group: the trunk prefix Europeans write after the country
  // code ("+49 (0)30 ..."); dropped for international numbers.
  std::string::size_type optional_zero = std::string::npos;
};

Scanned scan(std::string_view number) {
  Scanned out;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (is_digit(c)) {
      out.digits += c;
    } else if (c == '+' && out.digits.empty() && !out.plus) {
      out.plus = true;
    } else if (c == '(' && number.substr(i, 3) == "(0)" && !out.digits.empty()) {
      out.optional_zero = out.digits.size();
      out.digits += '0';
      i += 2;
    } else if (is_separator(c)) {
      continue;
    } else if (!out.digits.empty() && starts_extension(c)) {
      const std::string_view rest = number.substr(i);
      const bool ext = c == '#' || c == ';' || c == 'x' || c == 'X' ||
                       (rest.size() >= 3 && (rest[1] == 'x' || rest[1] == 'X') &&
                        (rest[2] == 't' || rest[2] == 'T'));
      if (!ext) fail(number, "contains letters");
      break;  // the extension and everything after it
    } else if (is_letter(c)) {
      fail(number, "contains letters");
    } else {
      fail(number, "contains '" + std::string(1, c) + "'");
    }
  }
  return out;
}

std::string country_code(std::string_view number, std::string_view given) {
  std::string_view cc = given;
  if (!cc.empty() && cc.front() == '+') cc.remove_prefix(1);
  if (cc.empty()) fail(number, "has no country code and no default country code was given");
  if (cc.size() > 3 || cc.front() == '0')
    fail(number, "cannot take default country code \"" + std::string(given) +
                     "\" (1 to 3 digits, not starting with 0)");
  for (char c : cc)
    if (!is_digit(c))
      fail(number, "cannot take default country code \"" + std::string(given) +
                       "\" (1 to 3 digits, not starting with 0)");
  return std::string(cc);
}

}  // namespace

std::string normalize_e164(std::string_view number, std::string_view default_country_code) {
  Scanned s = scan(number);
  if (s.digits.empty()) fail(number, "has no digits");
  std::string_view given_cc = default_country_code;
  if (!given_cc.empty() && given_cc.front() == '+') given_cc.remove_prefix(1);

  // How many leading digits are an international prefix; npos for a national number.
  std::size_t prefix = std::string::npos;
  if (s.plus)
    prefix = 0;
  else if (s.digits.rfind("00", 0) == 0)
    prefix = 2;
  else if (given_cc == "1" && s.digits.rfind("011", 0) == 0)
    prefix = 3;

  std::string international;
  if (prefix != std::string::npos) {
    if (s.optional_zero != std::string::npos && s.optional_zero >= prefix)
      s.digits.erase(s.optional_zero, 1);
    international = s.digits.substr(prefix);
  } else {
    const std::string cc = country_code(number, default_country_code);
    std::string national = s.digits;
    if (cc == "1") {
      if (national.size() == 11 && national.front() == '1') national.erase(0, 1);
      if (national.size() != 10) fail(number, "is not a 10-digit North American number");
    } else if (cc != "39" && national.front() == '0') {
      national.erase(0, 1);
    }
    international = cc + national;
  }
  if (international.empty() || international.front() == '0')
    fail(number, "has no valid country code (country codes never start with 0)");
  if (international.size() < 7 || international.size() > 15)
    fail(number, "has " + std::to_string(international.size()) +
                     " digits with its country code; E.164 numbers have 7 to 15");
  return "+" + international;
}

}  // namespace contoso
