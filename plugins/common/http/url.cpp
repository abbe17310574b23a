#include "http/url.hpp"

namespace idsync::http {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool is_alnum(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

void append_escaped(std::string& out, unsigned char c) {
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

std::string form_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_alnum(c) || c == '*' || c == '-' || c == '.' || c == '_')
      out += ch;
    else if (c == ' ')
      out += '+';
    else
      append_escaped(out, c);
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

struct Authority {
  std::string_view scheme;
  std::string_view host;
  std::string_view port;  // without ':'
};

// Splits "scheme://[userinfo@]host[:port][/...]"; false when `url` has no "scheme://".
bool split_authority(std::string_view url, Authority& out) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  for (const char c : url.substr(0, sep))
    if (!is_alnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  out.scheme = url.substr(0, sep);
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return false;
    out.host = rest.substr(0, close + 1);
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
  } else {
    const auto colon = rest.find(':');
    out.host = rest.substr(0, colon);
    rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon);
  }
  out.port = rest.empty() ? std::string_view{} : rest.substr(1);
  return !out.host.empty();
}

}  // namespace

std::string percent_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += ch;
    else
      append_escaped(out, c);
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += form_component(name);
    out += '=';
    out += form_component(value);
  }
  return out;
}

std::string url_host(std::string_view url) {
  Authority a;
  return split_authority(url, a) ? std::string(a.host) : std::string();
}

std::string url_origin(std::string_view url) {
  Authority a;
  if (!split_authority(url, a)) return {};
  std::string out = lower(a.scheme) + "://" + lower(a.host);
  if (!a.port.empty()) out += ":" + std::string(a.port);
  return out;
}

std::string_view url_path(std::string_view url) {
  if (const auto sep = url.find("://"); sep != std::string_view::npos) {
    url.remove_prefix(sep + 3);
    const auto slash = url.find_first_of("/?#");
    url.remove_prefix(slash == std::string_view::npos ? url.size() : slash);
  }
  return url.substr(0, url.find_first_of("?#"));
}

}  // namespace idsync::http
