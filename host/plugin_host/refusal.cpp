#include "plugin_host/refusal.hpp"

#include <algorithm>

namespace idsync::plugin_host {

namespace {

// Reasons may embed text we do not control (dlerror, JSON parser messages, plugin strings);
// flatten them so one refusal is always one line.
std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

std::string Refusal::to_string() const { return one_line(file.string() + ": " + reason); }

RefusedError::RefusedError(std::filesystem::path file, const std::string& reason)
    : std::runtime_error(one_line(reason)), file_(std::move(file)) {}

std::string shell_quote(const std::filesystem::path& path) {
  std::string out = "'";
  for (char c : path.string()) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace idsync::plugin_host
