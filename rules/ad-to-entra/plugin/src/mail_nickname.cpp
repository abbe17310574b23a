#include "mail_nickname.hpp"

namespace ad_to_entra {

namespace {

bool allowed(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte <= 0x20 || byte >= 0x7F) return false;  // control, space, DEL and non-ASCII
  return std::string_view("@()\\[]\";:<>,").find(c) == std::string_view::npos;
}

}  // namespace

std::optional<std::string> cloud_mail_nickname(std::string_view alias) {
  std::string out;
  for (char c : alias)
    if (allowed(c) && out.size() < kMaxMailNicknameLength) out += c;
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace ad_to_entra
