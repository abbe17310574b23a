#include "metrics_http/http_exchange.hpp"

#include <exception>
#include <string_view>

namespace idsync::metrics::http {
namespace {

constexpr std::string_view kMetricsPath = "/metrics";
constexpr std::string_view kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kErrorType = "text/plain; charset=utf-8";
// How much of a render() exception's message a 500 shows: enough to say what failed, short
// enough that a message holding a whole page of data does not become the response.
constexpr std::size_t kMaxErrorText = 200;

struct Response {
  int status;
  std::string_view reason;
  std::string body;
  std::string_view content_type = kErrorType;
  std::string_view extra_fields = {};  // whole lines, each ending in CRLF
};

std::string serialize(const Response& response, bool with_body) {
  std::string text =
      "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(response.reason) + "\r\n";
  text += "Content-Type: ";
  text += response.content_type;
  text += "\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n";
  text += response.extra_fields;
  text += "Connection: close\r\n\r\n";
  if (with_body) text += response.body;
  return text;
}

Response bad_request(std::string_view why) {
  return {400, "Bad Request", "bad request: " + std::string(why) + "\n"};
}

// RFC 9110's tchar: what a method may be made of.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (!is_token_char(c)) return false;
  return true;
}

// Visible ASCII only: no spaces, no control characters, nothing a client should have
// percent-encoded.
bool is_target(std::string_view text) {
  if (text.empty() || text.front() != '/') return false;
  for (const char c : text)
    if (c <= ' ' || c > '~') return false;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The message of what render() threw, cut short and on one line.
std::string describe(const std::exception& error) {
  const std::string_view message = error.what();
  std::string text(message.substr(0, kMaxErrorText));
  if (message.size() > text.size()) {
    // Not in the middle of a UTF-8 sequence, since the body is declared UTF-8: continuation
    // bytes (10xxxxxx) are dropped, then the byte that started their sequence.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
      text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
  }
  for (char& c : text)
    if (static_cast<unsigned char>(c) < ' ' || c == '\x7f') c = ' ';
  return text;
}

Response answer(std::string_view method, std::string_view target,
                const std::function<std::string()>& render) {
  const std::string_view path = target.substr(0, target.find('?'));
  if (path != kMetricsPath)
    return {404, "Not Found", "not found: only " + std::string(kMetricsPath) + " is served\n"};
  if (method != "GET")
    return {405, "Method Not Allowed",
            "method not allowed: " + std::string(kMetricsPath) + " answers GET only\n", kErrorType,
            "Allow: GET\r\n"};
  try {
    return {200, "OK", render(), kMetricsType};
  } catch (const std::exception& error) {
    return {500, "Internal Server Error",
            "the metrics could not be rendered: " + describe(error) + "\n"};
  } catch (...) {
    return {500, "Internal Server Error", "the metrics could not be rendered\n"};
  }
}

}  // namespace

std::size_t head_end(std::string_view received, std::size_t from) {
  for (std::size_t end = received.find('\n', from); end != std::string_view::npos;
       end = received.find('\n', end + 1)) {
    // The line this '\n' ends is empty: nothing before it on the line, or only a '\r'.
    std::size_t start = end;
    if (start > 0 && received[start - 1] == '\r') --start;
    if (start == 0 || received[start - 1] == '\n') return end + 1;
  }
  return std::string_view::npos;
}

std::string respond(std::string_view head, const std::function<std::string()>& render) {
  std::string_view line = head.substr(0, head.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

  const std::size_t first_space = line.find(' ');
  const std::size_t second_space =
      first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos)
    return serialize(bad_request("malformed request line"), true);
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  const std::string_view version = line.substr(second_space + 1);
  // A response to HEAD never has a body, a refusal included, so the method matters even for a
  // request that turns out to be malformed.
  const bool with_body = method != "HEAD";
  if (!is_token(method) || !is_target(target))
    return serialize(bad_request("malformed request line"), with_body);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !is_digit(version[5]) ||
      version[6] != '.' || !is_digit(version[7]))
    return serialize(bad_request("malformed request line"), with_body);
  if (version[5] != '1')
    return serialize({505, "HTTP Version Not Supported", "only HTTP/1.x is served\n"}, with_body);
  return serialize(answer(method, target, render), with_body);
}

std::string refuse_oversized_head() {
  return serialize(
      {431, "Request Header Fields Too Large",
       "request head too large: the limit is " + std::to_string(kMaxHeadBytes) + " bytes\n"},
      true);
}

std::string refuse_incomplete_head() {
  return serialize(bad_request("the request ended before its head did"), true);
}

}  // namespace idsync::metrics::http
