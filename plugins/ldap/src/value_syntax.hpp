// How LDAP attribute values map onto idsync's value types: which syntax OIDs (RFC 4517, and
// Active Directory's own, MS-ADTS 3.1.1.2.2.2) carry references, integers, booleans, times
// or raw bytes, and the conversions between LDAP's time syntaxes and the RFC 3339 UTC text
// the engine uses for IDSYNC_VALUE_DATETIME.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <string_view>

namespace idsync::ldap {

// The idsync value type for an attribute syntax OID, ignoring a length suffix ("{64}") and
// surrounding quotes:
//   REFERENCE  DN (1.3.6.1.4.1.1466.115.121.1.12, AD's Object(DS-DN))
//   INTEGER    Integer (.27; AD's Enumeration uses it too), AD Large Integer
//              (1.2.840.113556.1.4.906)
//   BOOLEAN    Boolean (.7)
//   DATETIME   Generalized Time (.24), UTC Time (.53)
//   BINARY     Octet String (.40; AD's objectGUID and objectSid), Binary (.5), Certificate
//              (.8), Certificate List (.9), Certificate Pair (.10), Audio (.4), Fax (.23),
//              JPEG (.28), Supported Algorithm (.49), AD's NT-Sec-Desc (1.2.840.113556.1.4.907)
//   STRING     everything else, including AD's DN-Binary (.903) and DN-String (.904), whose
//              values ("B:8:0123ABCD:CN=x,...") are not plain DNs, OR-Name (.1221), and Name
//              and Optional UID (.34, uniqueMember), which may carry a "#'0101'B" suffix.
// Never throws; an empty or unknown OID is STRING.
idsync_value_type value_type_for_syntax(std::string_view syntax_oid);

// Generalized Time (RFC 4517 3.3.13) -> RFC 3339 UTC with whole seconds:
// "20261122063000.0Z", "20261122063000Z", "20261122073000.25+0100" -> "2026-11-22T06:30:00Z".
// Minutes and seconds may be omitted (a fraction then applies to the last unit given); a
// fraction of a second is dropped; a numeric offset is applied so that the result is UTC; a
// leap second (60) becomes the next minute. Throws std::invalid_argument naming the text when
// it is not Generalized Time, names an impossible date or time, or falls outside years
// 0000-9999 once in UTC.
std::string generalized_time_to_rfc3339(std::string_view text);

// UTC Time (RFC 4517 3.3.34, two-digit year) -> RFC 3339 UTC: "261122063000Z" ->
// "2026-11-22T06:30:00Z". Years 50-99 are 1950-1999 and 00-49 are 2000-2049 (the convention of
// RFC 5280 4.1.2.5.1; the syntax itself leaves the century open). Seconds are optional; the
// zone is "Z" or "+hhmm"/"-hhmm". Throws std::invalid_argument naming the text when malformed.
std::string utc_time_to_rfc3339(std::string_view text);

// RFC 3339 -> Generalized Time in the form Active Directory writes and accepts:
// "2026-11-22T06:30:00Z" -> "20261122063000.0Z". Accepts 't'/'z' in lower case, a fraction of a
// second (dropped) and a numeric offset ("+01:00", applied to reach UTC). Throws
// std::invalid_argument naming the text when it is not an RFC 3339 date-time.
std::string rfc3339_to_generalized_time(std::string_view text);

}  // namespace idsync::ldap
