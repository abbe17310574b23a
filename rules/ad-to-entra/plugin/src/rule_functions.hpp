// The expression functions of rule type "ad-to-entra.rules", as the SDK calls them: each wraps
// a pure helper (guid.hpp, mail_nickname.hpp) or the password generator (password.hpp) with the
// expression language's NULL and multi-valued semantics. plugin_entry.cpp registers them with
// docs that repeat these semantics for admins.
#pragma once

#include <idsync/sdk.hpp>

namespace ad_to_entra {

// ImmutableId(guid): the base64 of the GUID's 16 bytes in AD's layout, the value Entra ID keeps
// as onPremisesImmutableId. `guid` is objectGUID's text form or a 16-byte binary such as
// mS-DS-ConsistencyGuid; single-valued; NULL stays NULL; anything else is an error.
idsync::sdk::Values immutable_id(const idsync::sdk::Args& args);

// GuidToBinary(guid): the same 16 bytes as a binary value (a 16-byte binary passes through), to
// compare with mS-DS-ConsistencyGuid in a join.
idsync::sdk::Values guid_to_binary(const idsync::sdk::Args& args);

// RandomPassword([length]): a new random password on every call (see password.hpp); length
// 16..256, default 32.
idsync::sdk::Values random_password_fn(const idsync::sdk::Args& args);

// CloudMailNickname(alias): each value as mailNickname Graph accepts; values with nothing left
// are dropped, so NULL stays NULL.
idsync::sdk::Values cloud_mail_nickname_fn(const idsync::sdk::Args& args);

}  // namespace ad_to_entra
