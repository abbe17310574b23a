// exported-change-not-reimported: whether an imported object holds what the last export to it
// sent (store/export_confirm.hpp). A difference means the connected system did not apply the
// export, or changed the object back since: the next sync would export the same change again.
//
// Only what the confirmation lists is compared: its attributes (names ignoring case; values
// exactly, in any order, a value given twice counting once; an attribute confirmed with no
// values must be absent) and its DN when it has one (ignoring case, as the DN index does).
// Attribute types are not compared: the values are what the connector reports. Secret
// attributes (store/secret_attributes.hpp) are skipped: the connector never returns them, and
// their values must not reach a message. The export leaves them out of its confirmation; this
// covers confirmations written before the connector declared them.
#pragma once

#include <string>

#include "store/cs_object.hpp"
#include "store/export_confirm.hpp"
#include "store/secret_attributes.hpp"

namespace idsync::importer {

inline constexpr char kNotReimportedIssue[] = "exported-change-not-reimported";

// The warning for `imported` when it does not hold `exported`, naming each differing attribute
// with the values exported and the values imported: `mail: exported "b@x", imported "a@x";
// member: exported ["x", "y"], imported ["x"]`. Empty when everything was seen back.
std::string not_reimported(const store::ExportConfirm& exported, const store::CsObject& imported,
                           const store::SecretAttributes& secrets = {});

}  // namespace idsync::importer
