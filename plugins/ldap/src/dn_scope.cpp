#include "dn_scope.hpp"

#include <ldap.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace idsync::ldap {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct DnFree {
  void operator()(LDAPRDN* dn) const { ldap_dnfree(dn); }
};

[[noreturn]] void unparsable(std::string_view dn) {
  throw std::invalid_argument("'" + std::string(dn) + "' is not a valid distinguished name");
}

// Appends a value to a key: lowercased, outer spaces dropped, inner runs of spaces collapsed,
// and every character with a meaning in DN syntax written as \xx so that an unescaped ',' or
// '+' in a key is always a separator.
void append_value_key(std::string& out, std::string_view value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  bool space = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == ' ') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    const bool special = c < 0x20 || c == 0x7f || c == ',' || c == '+' || c == '"' || c == '\\' ||
                         c == '<' || c == '>' || c == ';' || c == '=' || (i == 0 && c == '#');
    if (special) {
      out += '\\';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    } else {
      out += lower(static_cast<char>(c));
    }
  }
}

std::string ava_key(const LDAPAVA& ava) {
  std::string key;
  std::string_view type(ava.la_attr.bv_val, ava.la_attr.bv_len);
  for (const char c : type) key += lower(c);
  key += '=';
  const std::string_view value(ava.la_value.bv_val, ava.la_value.bv_len);
  if (ava.la_flags & LDAP_AVA_BINARY) {
    // "#<hex of BER>": kept in that form, since its string meaning needs the schema.
    static constexpr char kDigits[] = "0123456789abcdef";
    key += '#';
    for (const char c : value) {
      key += kDigits[static_cast<unsigned char>(c) >> 4];
      key += kDigits[static_cast<unsigned char>(c) & 0xf];
    }
  } else {
    append_value_key(key, value);
  }
  return key;
}

// The normalised RDNs of a DN, most specific first; empty for the root.
std::vector<std::string> normalized_rdns(std::string_view dn) {
  if (dn.find('\0') != std::string_view::npos) unparsable(dn);
  const std::string text(dn);
  LDAPDN parsed = nullptr;
  // LDAPv3 first; LDAP_DN_FORMAT_LDAP then also accepts the RFC 1779 forms.
  if (ldap_str2dn(text.c_str(), &parsed, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS &&
      ldap_str2dn(text.c_str(), &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS) {
    unparsable(dn);
  }
  const std::unique_ptr<LDAPRDN, DnFree> owned(parsed);
  std::vector<std::string> rdns;
  for (std::size_t r = 0; parsed != nullptr && parsed[r] != nullptr; ++r) {
    std::vector<std::string> avas;
    for (std::size_t a = 0; parsed[r][a] != nullptr; ++a) avas.push_back(ava_key(*parsed[r][a]));
    // cn=a+uid=b and uid=b+cn=a are the same RDN.
    std::sort(avas.begin(), avas.end());
    std::string rdn;
    for (const std::string& ava : avas) {
      if (!rdn.empty()) rdn += '+';
      rdn += ava;
    }
    rdns.push_back(std::move(rdn));
  }
  return rdns;
}

// Whether `inner` equals `outer` or lies below it.
bool rdns_within(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
  if (outer.size() > inner.size()) return false;
  return std::equal(outer.rbegin(), outer.rend(), inner.rbegin());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  // A trailing "\ " is an escaped, significant space.
  while (!s.empty() && s.back() == ' ' && !(s.size() >= 2 && s[s.size() - 2] == '\\')) {
    s.remove_suffix(1);
  }
  return s;
}

// Index of the separator after the first RDN, or npos: the first ',' or ';' not escaped by a
// backslash and not inside a value quoted in RFC 1779 style (CN="Smith, John").
std::size_t first_separator(std::string_view dn) {
  bool quoted = false;
  bool value_start = false;  // just after '=', spaces skipped: where a quote may open a value
  for (std::size_t i = 0; i < dn.size(); ++i) {
    const char c = dn[i];
    if (c == '\\') {
      ++i;
      value_start = false;
      continue;
    }
    if (quoted) {
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"' && value_start) {
      quoted = true;
      continue;
    }
    if (c == ',' || c == ';') return i;
    if (c == '=') {
      value_start = true;
    } else if (c != ' ') {
      value_start = false;
    }
  }
  return std::string_view::npos;
}

std::vector<std::vector<std::string>> normalize_all(const std::vector<std::string>& dns) {
  std::vector<std::vector<std::string>> out;
  out.reserve(dns.size());
  for (const std::string& dn : dns) out.push_back(normalized_rdns(dn));
  return out;
}

}  // namespace

std::string normalize_dn(std::string_view dn) {
  std::string key;
  for (const std::string& rdn : normalized_rdns(dn)) {
    if (!key.empty()) key += ',';
    key += rdn;
  }
  return key;
}

bool dn_within(std::string_view dn, std::string_view container) {
  return rdns_within(normalized_rdns(dn), normalized_rdns(container));
}

std::string parent_dn(std::string_view dn) {
  const std::size_t sep = first_separator(dn);
  if (sep == std::string_view::npos) return {};
  return std::string(trim(dn.substr(sep + 1)));
}

std::string first_rdn(std::string_view dn) {
  return std::string(trim(dn.substr(0, first_separator(dn))));
}

Scope::Scope(std::vector<std::string> partitions, std::vector<std::string> include,
             std::vector<std::string> exclude)
    : partitions_(normalize_all(partitions)),
      include_(normalize_all(include)),
      exclude_(normalize_all(exclude)) {}

bool Scope::contains(std::string_view dn) const {
  const Rdns rdns = normalized_rdns(dn);
  const bool in_partition = std::any_of(partitions_.begin(), partitions_.end(),
                                        [&](const Rdns& p) { return rdns_within(rdns, p); });
  if (!in_partition) return false;
  // The deepest container holding the DN decides; an exclude wins a tie with an include.
  bool decided_in = include_.empty();
  std::size_t depth = 0;
  bool matched = false;
  for (const Rdns& container : include_) {
    if (rdns_within(rdns, container) && (!matched || container.size() > depth)) {
      matched = true;
      depth = container.size();
      decided_in = true;
    }
  }
  for (const Rdns& container : exclude_) {
    if (rdns_within(rdns, container) && (!matched || container.size() >= depth)) {
      matched = true;
      depth = container.size();
      decided_in = false;
    }
  }
  return decided_in;
}

}  // namespace idsync::ldap
