// URL text helpers: encoding of path segments, query values and form bodies, and the pieces of
// an absolute URL that messages and the same-origin check need.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idsync::http {

// Percent-encodes every byte except the RFC 3986 unreserved characters (ALPHA, DIGIT, "-", ".",
// "_", "~"), with upper-case hex digits: safe for a path segment or a query value.
std::string percent_encode(std::string_view text);

// An application/x-www-form-urlencoded body: "name=value" pairs joined by "&", space as "+",
// "*-._" and alphanumerics kept, every other byte percent-encoded.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// The host of an absolute URL, for messages: no scheme, user information, port, path or query
// (so never a credential put in the URL). An IPv6 literal keeps its brackets. "" when the text
// is not an absolute URL.
std::string url_host(std::string_view url);

// "scheme://host[:port]" of an absolute URL, scheme and host in lower case, user information
// dropped; "" when the text is not an absolute URL. Two URLs go to the same server exactly when
// their origins are equal (a plain prefix test would accept "https://api.example.com.evil").
std::string url_origin(std::string_view url);

// The path of an absolute or relative URL: without scheme, authority, query or fragment.
std::string_view url_path(std::string_view url);

}  // namespace idsync::http
