#include "state_token.hpp"

#include <charconv>
#include <idsync/sdk.hpp>

namespace idsync::file {
namespace {
constexpr std::string_view kPrefix = "idsync-file/1";
}

void StateToken::bad(const std::string& why) const {
  throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                   "the " + what_ + " was not made by this version of the file connector (" + why +
                       "); run a full import");
}

StateToken StateToken::parse(std::string_view text, std::string_view what) {
  StateToken t;
  t.what_ = std::string(what);
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(start, end - start);
    if (first) {
      if (part != kPrefix) t.bad("it does not start with " + std::string(kPrefix));
      first = false;
    } else {
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos || eq == 0) t.bad("malformed field");
      t.fields_[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
    }
    start = end + 1;
  }
  return t;
}

StateToken& StateToken::set(const std::string& key, std::string value) {
  fields_[key] = std::move(value);
  return *this;
}

StateToken& StateToken::set_u64(const std::string& key, uint64_t value) {
  return set(key, std::to_string(value));
}

StateToken& StateToken::set_hex(const std::string& key, uint64_t value) {
  char buf[17];
  auto r = std::to_chars(buf, buf + sizeof buf, value, 16);
  return set(key, std::string(buf, r.ptr));
}

const std::string& StateToken::get(const std::string& key) const {
  auto it = fields_.find(key);
  if (it == fields_.end()) bad("no " + key);
  return it->second;
}

uint64_t StateToken::get_u64(const std::string& key) const {
  const std::string& v = get(key);
  uint64_t out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out, 10);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) bad("bad " + key);
  return out;
}

uint64_t StateToken::get_hex(const std::string& key) const {
  const std::string& v = get(key);
  uint64_t out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out, 16);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) bad("bad " + key);
  return out;
}

std::string StateToken::text() const {
  std::string out(kPrefix);
  for (const auto& [k, v] : fields_) out += ";" + k + "=" + v;
  return out;
}

}  // namespace idsync::file
