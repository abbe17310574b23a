#include "rule_functions.hpp"

#include <string>

#include "diacritics.hpp"
#include "nickname.hpp"
#include "phone.hpp"

namespace contoso {

namespace sdk = idsync::sdk;

namespace {

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

}  // namespace

sdk::Values normalize_phone(const sdk::Args& args) {
  const std::string_view cc = args.size() > 1
                                  ? args[1]
                                        .single("NormalizePhone argument 2 (default_country_code)")
                                        .value_or(std::string_view())
                                  : std::string_view();
  sdk::Values out;
  for (std::string_view number : args[0])
    if (!is_blank(number)) out.add(normalize_e164(number, cc));
  return out;
}

sdk::Values remove_diacritics_fn(const sdk::Args& args) {
  sdk::Values out;
  for (std::string_view text : args[0]) out.add(remove_diacritics(text));
  return out;
}

sdk::Values mail_nickname_fn(const sdk::Args& args) {
  std::vector<std::string_view> parts;
  for (std::size_t i = 0; i < args.size(); ++i)
    if (auto part = args[i].single("MailNickname argument " + std::to_string(i + 1)))
      parts.push_back(*part);
  if (auto alias = mail_nickname(parts)) return sdk::Values(*alias);
  return sdk::Values::null();
}

sdk::Attributes derive_mail_nickname(const sdk::ObjectView& object) {
  std::vector<std::string_view> parts;
  for (const char* name : {"givenName", "sn"}) {
    const std::vector<std::string_view> values = object.values(name);
    if (values.size() > 1)
      throw sdk::Error(IDSYNC_ERR_INVALID_VALUE, std::string(name) +
                                                     " must be single-valued, got " +
                                                     std::to_string(values.size()) + " values");
    if (!values.empty()) parts.push_back(values.front());
  }
  const auto alias = mail_nickname(parts);
  if (!alias) return {};
  return {sdk::OutAttribute{"mailNickname", {*alias}}};
}

}  // namespace contoso
