#include "rule_functions.hpp"

#include <charconv>
#include <exception>
#include <string>

#include "guid.hpp"
#include "mail_nickname.hpp"
#include "password.hpp"

namespace ad_to_entra {

namespace sdk = idsync::sdk;

namespace {

// The 16 GUID bytes of the single value of `arg`, nullopt for NULL. Text is parsed as a GUID,
// binary must already be 16 bytes: a value of another length is no GUID, and encoding it
// anyway would give an immutable ID that matches nothing.
std::optional<std::string> guid_bytes(const sdk::ValueList& arg, const char* function) {
  const std::string what = std::string(function) + " argument 1 (guid)";
  const std::optional<std::string_view> value = arg.single(what);
  if (!value) return std::nullopt;
  if (arg.type() == IDSYNC_VALUE_BINARY) {
    if (value->size() != 16)
      throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                       what + ": a binary GUID is 16 bytes, got " + std::to_string(value->size()));
    return std::string(*value);
  }
  if (arg.type() != IDSYNC_VALUE_STRING)
    throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                     what + ": expected a GUID as text or as 16 binary bytes");
  if (auto bytes = guid_bytes_from_text(*value)) return bytes;
  throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                   what + ": \"" + std::string(*value) +
                       "\" is not a GUID such as 4c045603-48d5-4264-94ac-f2db0ab2a15c");
}

std::size_t password_length(const sdk::Args& args) {
  if (args.empty()) return kDefaultPasswordLength;
  const std::optional<std::string_view> text = args[0].single("RandomPassword argument 1 (length)");
  if (!text) return kDefaultPasswordLength;
  std::size_t length = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), length);
  if (error != std::errc() || end != text->data() + text->size())
    throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                     "RandomPassword argument 1 (length): expected a number, got \"" +
                         std::string(*text) + "\"");
  return length;
}

}  // namespace

sdk::Values immutable_id(const sdk::Args& args) {
  if (auto bytes = guid_bytes(args[0], "ImmutableId")) return sdk::Values(base64(*bytes));
  return sdk::Values::null();
}

sdk::Values guid_to_binary(const sdk::Args& args) {
  if (auto bytes = guid_bytes(args[0], "GuidToBinary"))
    return sdk::Values(std::move(*bytes), IDSYNC_VALUE_BINARY);
  return sdk::Values::null();
}

sdk::Values random_password_fn(const sdk::Args& args) {
  const std::size_t length = password_length(args);
  try {
    return sdk::Values(random_password(length));
  } catch (const std::invalid_argument& e) {
    throw sdk::Error(IDSYNC_ERR_INVALID_VALUE, std::string("RandomPassword: ") + e.what());
  }
}

sdk::Values cloud_mail_nickname_fn(const sdk::Args& args) {
  sdk::Values out;
  for (std::string_view alias : args[0])
    if (auto nickname = cloud_mail_nickname(alias)) out.add(std::move(*nickname));
  return out;
}

}  // namespace ad_to_entra
