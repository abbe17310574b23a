// The sample rule plugin's functions and transform, as the SDK calls them. Each wraps one of the
// pure helpers (phone.hpp, diacritics.hpp, nickname.hpp) with the expression language's NULL and
// multi-valued semantics; the docs registered in plugin_entry.cpp repeat those semantics.
#pragma once

#include <idsync/sdk.hpp>

namespace contoso {

// NormalizePhone(number [, default_country_code]): each value of `number` to E.164 (blank
// values dropped, so NULL stays NULL and a multi-valued number stays multi-valued).
// default_country_code must be single-valued.
idsync::sdk::Values normalize_phone(const idsync::sdk::Args& args);

// RemoveDiacritics(text): each value with diacritics removed; NULL stays NULL.
idsync::sdk::Values remove_diacritics_fn(const idsync::sdk::Args& args);

// MailNickname(part, ...): an alias from single-valued parts (NULL parts skipped); NULL when
// no part has a usable character.
idsync::sdk::Values mail_nickname_fn(const idsync::sdk::Args& args);

// DeriveMailNickname: sets mailNickname from givenName and sn (single-valued); sets nothing when
// neither gives a usable character, so an existing alias is left alone.
idsync::sdk::Attributes derive_mail_nickname(const idsync::sdk::ObjectView& object);

}  // namespace contoso
