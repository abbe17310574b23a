#include "plugin_host/sidecar.hpp"

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {

namespace json = boost::json;

namespace {

// Sidecars are a few hundred bytes; a cap keeps a stray huge file from being slurped.
constexpr std::uintmax_t kMaxSidecarBytes = 1024 * 1024;

[[noreturn]] void malformed(const std::filesystem::path& file, const std::string& problem) {
  throw RefusedError(file, "malformed plugin.json: " + problem);
}

// Line and column (1-based) of byte `offset`, so the admin can find a syntax error.
std::string position(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

json::value parse_json(std::string_view text, const std::filesystem::path& file) {
  json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t used = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) malformed(file, ec.message() + " at " + position(text, used));
  return parser.release();
}

const json::value* member(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &it->value();
}

std::string required_string(const json::object& obj, std::string_view key,
                            const std::filesystem::path& file, std::string_view where = {}) {
  const json::value* v = member(obj, key);
  const std::string name = std::string(where) + "\"" + std::string(key) + "\"";
  if (v == nullptr) malformed(file, "missing " + name);
  if (!v->is_string()) malformed(file, name + " must be a string");
  if (v->as_string().empty()) malformed(file, name + " must not be empty");
  return std::string(v->as_string());
}

uint32_t required_uint(const json::object& obj, std::string_view key,
                       const std::filesystem::path& file, std::string_view where) {
  const json::value* v = member(obj, key);
  const std::string name = std::string(where) + "\"" + std::string(key) + "\"";
  if (v == nullptr) malformed(file, "missing " + name);
  if (v->is_int64() && v->as_int64() >= 0 && v->as_int64() <= std::numeric_limits<uint32_t>::max())
    return static_cast<uint32_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= std::numeric_limits<uint32_t>::max())
    return static_cast<uint32_t>(v->as_uint64());
  malformed(file, name + " must be a non-negative integer");
}

std::vector<std::string> string_list(const json::object& obj, std::string_view key,
                                     const std::filesystem::path& file) {
  std::vector<std::string> out;
  const json::value* v = member(obj, key);
  if (v == nullptr) return out;  // a plugin may offer only connectors or only rules
  const std::string name = "\"" + std::string(key) + "\"";
  if (!v->is_array()) malformed(file, name + " must be an array of strings");
  for (const json::value& item : v->as_array()) {
    if (!item.is_string() || item.as_string().empty())
      malformed(file, name + " must be an array of non-empty strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace

Sidecar parse_sidecar(std::string_view text, const std::filesystem::path& file) {
  const json::value root = parse_json(text, file);
  if (!root.is_object()) malformed(file, "the top level must be an object");
  const json::object& obj = root.as_object();

  Sidecar s;
  s.name = required_string(obj, "name", file);
  s.version = required_string(obj, "version", file);

  const json::value* abi = member(obj, "abi");
  if (abi == nullptr) malformed(file, "missing \"abi\" (e.g. {\"major\": 1, \"minor\": 0})");
  if (!abi->is_object())
    malformed(file, "\"abi\" must be an object like {\"major\": 1, \"minor\": 0}");
  s.abi_major = required_uint(abi->as_object(), "major", file, "abi.");
  s.abi_minor = required_uint(abi->as_object(), "minor", file, "abi.");

  // The library must live in the plugin's own folder: a path could point the host at code
  // outside the folder whose permissions we check.
  s.library = required_string(obj, "library", file);
  if (s.library.find('/') != std::string::npos || s.library == "." || s.library == "..")
    malformed(file, "\"library\" must be a file name inside the plugin folder, not a path");

  s.connector_types = string_list(obj, "connector_types", file);
  s.rule_types = string_list(obj, "rule_types", file);

  if (const json::value* d = member(obj, "description")) {
    if (!d->is_string()) malformed(file, "\"description\" must be a string");
    s.description = std::string(d->as_string());
  }
  return s;
}

Sidecar read_sidecar(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw RefusedError(file, std::string("cannot read plugin.json: ") + std::strerror(errno));
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSidecarBytes)
      throw RefusedError(file, "cannot read plugin.json: larger than 1 MiB");
  }
  if (in.bad()) throw RefusedError(file, "cannot read plugin.json: read error");
  return parse_sidecar(text, file);
}

}  // namespace idsync::plugin_host
