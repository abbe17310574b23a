// Text of SCIM filters (RFC 7644 section 3.4.2.2) as the connector sends them: string values
// are JSON strings, so quotes, backslashes and control characters are escaped as JSON escapes
// them. A value is never put into a filter unescaped: a userName holding `" or "1" eq "1` stays
// one string.
#pragma once

#include <string>
#include <string_view>

namespace idsync::scim {

// `value` as a quoted filter string: "ada \"the\" first" (JSON string syntax).
std::string filter_string(std::string_view value);

// `attribute eq "value"`.
std::string equals_filter(std::string_view attribute, std::string_view value);

// `meta.lastModified gt "2024-05-01T12:00:00Z"`.
std::string modified_since_filter(std::string_view rfc3339);

}  // namespace idsync::scim
