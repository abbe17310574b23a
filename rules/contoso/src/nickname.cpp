#include "nickname.hpp"

#include "diacritics.hpp"

namespace contoso {

namespace {

std::string clean_part(std::string_view part) {
  std::string out;
  for (char c : remove_diacritics(part)) {
    if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
      out += c;
  }
  return out;
}

bool is_edge_junk(char c) { return c == '.' || c == '-' || c == '_'; }

}  // namespace

std::optional<std::string> mail_nickname(const std::vector<std::string_view>& parts) {
  std::string alias;
  for (std::string_view part : parts) {
    const std::string clean = clean_part(part);
    if (clean.empty()) continue;
    if (!alias.empty()) alias += '.';
    alias += clean;
  }
  if (alias.size() > kMaxNickname) alias.resize(kMaxNickname);
  // A cut, or a part like "-x-", can leave separators at the edges; aliases may not start or
  // end with them.
  while (!alias.empty() && is_edge_junk(alias.back())) alias.pop_back();
  std::size_t lead = 0;
  while (lead < alias.size() && is_edge_junk(alias[lead])) ++lead;
  alias.erase(0, lead);
  if (alias.empty()) return std::nullopt;
  return alias;
}

}  // namespace contoso
