// Attribute descriptions as servers return them (RFC 4512 section 2.5): a name followed by
// ";option"s. Active Directory adds the ranged-retrieval option "range=low-high" when a
// multi-valued attribute (a large group's member) has more values than one answer carries;
// the connector must see it to fetch the remaining chunks and must not take
// "member;range=0-1499" for another attribute.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::ldap {

struct AttributeDescription {
  std::string name;                  // as written: "member", "userCertificate", "2.5.4.3"
  std::vector<std::string> options;  // lowercased, in order, without the range option
  bool ranged = false;               // a "range=" option was present
  uint64_t range_low = 0;
  std::optional<uint64_t> range_high;  // nullopt: '*' (the last chunk)
};

// Parses "member;range=0-1499", "member;range=1500-*", "userCertificate;binary",
// "cn;lang-de". Option names are case-insensitive ("Range=" too). Throws std::invalid_argument
// naming the text when:
//   - the name is empty or holds characters other than letters, digits, '-', '_' and '.';
//   - an option is empty or holds characters other than letters, digits, '-' and '_';
//   - a range option is not "range=<digits>-<digits>" or "range=<digits>-*", has its high bound
//     below its low bound, or appears twice.
AttributeDescription parse_attribute_description(std::string_view text);

// Whether two attribute descriptions name the same attribute: the names (the text before any
// ';') compared ASCII case-insensitively, options ignored. "member;range=0-*" and "Member" are
// the same attribute. Does not know aliases (cn and commonName): that needs the schema.
bool same_attribute(std::string_view a, std::string_view b);

}  // namespace idsync::ldap
