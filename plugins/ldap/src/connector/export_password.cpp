#include "export_password.hpp"

#include "directory_schema.hpp"
#include "unicode_pwd.hpp"

namespace idsync::ldap {

std::optional<std::string> password_attribute(DirectoryKind kind, std::string_view name) {
  const std::string key = lower(name);
  if (kind == DirectoryKind::active_directory) {
    if (key == "unicodepwd") return "unicodePwd";
  } else {
    if (key == "userpassword") return "userPassword";
  }
  return std::nullopt;
}

std::string encode_password(DirectoryKind kind, std::string_view value) {
  if (kind == DirectoryKind::active_directory) return ad_unicode_pwd(value);
  return std::string(value);
}

std::optional<std::string> password_refusal(const Options& options, bool encrypted) {
  if (encrypted) return std::nullopt;
  if (options.active_directory())
    return "the password is not sent: the connection to the directory is not encrypted, and "
           "Active Directory accepts unicodePwd only over ldaps:// or StartTLS (config.url, "
           "config.start_tls)";
  if (options.allow_plaintext_bind) return std::nullopt;
  return "the password is not sent: the connection to the directory is not encrypted (use "
         "ldaps:// or config.start_tls, or set config.allow_plaintext_bind to allow it)";
}

}  // namespace idsync::ldap
