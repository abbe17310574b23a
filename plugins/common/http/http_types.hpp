// One HTTP exchange as the client layer sees it: a request with an absolute URL and a response
// with its status, headers and body. Plain values, so tests can script them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idsync::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string url;     // absolute
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, names as sent
  std::string body;

  // The value of the first header called `name`, compared without regard to ASCII case (field
  // names are case-insensitive, and HTTP/2 sends them in lower case).
  std::optional<std::string> header(std::string_view name) const;
};

// ASCII case-insensitive equality, for header names and URL schemes.
bool iequals(std::string_view a, std::string_view b);

// The first value of `name` in `headers`, case-insensitively.
std::optional<std::string> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name);

}  // namespace idsync::http
