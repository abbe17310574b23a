// Provisional anchors: the key a provisioned object has in the connector space until the
// connected system assigns its real anchor (an objectGUID, a SCIM id, a generated UUID).
//
// Outbound sync that provisions an object whose anchor only the target can choose stores the
// CS object and its pending ADD under make_provisional_anchor(...). The export step sends such
// an ADD with an empty anchor (the ABI's "the system assigns it") and, on success, moves the
// CS object to the anchor the connector reported (exporter/anchor_move.hpp). An ADD under any
// other anchor is sent with that anchor: the sync rules computed it (a uid, an employee id).
// Until then the connected system has never seen the object, so an import never stages it as
// deleted.
//
// The prefix starts with a NUL byte, which no connector's anchor text starts with, so a
// provisional anchor can never collide with a real one.
#pragma once

#include <string>
#include <string_view>

namespace idsync::store {

inline constexpr std::string_view kProvisionalAnchorPrefix{"\0idsync-provisional:", 20};

inline bool is_provisional_anchor(std::string_view anchor) {
  return anchor.substr(0, kProvisionalAnchorPrefix.size()) == kProvisionalAnchorPrefix;
}

// `unique` must be unique within the connector (the MV object id, say).
inline std::string make_provisional_anchor(std::string_view unique) {
  std::string a(kProvisionalAnchorPrefix);
  a += unique;
  return a;
}

}  // namespace idsync::store
