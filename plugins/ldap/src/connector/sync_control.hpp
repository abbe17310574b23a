// The RFC 4533 content synchronization controls and messages, as BER: the request control a
// refreshOnly search carries, the syncState control on each entry, the syncInfo intermediate
// messages (new cookies, phase ends, sets of entryUUIDs) and the syncDone control on the final
// result. Encoding and decoding only; the search and what the states mean are the content-sync
// delta source's business. Written with lber rather than libldap's ldap_sync_* API so that the
// search runs through Connection (TLS, timeouts, cancellation, reconnection, error messages)
// like every other read of the connector.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entry_uuid.hpp"

namespace idsync::ldap {

inline constexpr const char* kSyncRequestOid = "1.3.6.1.4.1.4203.1.9.1.1";
inline constexpr const char* kSyncStateOid = "1.3.6.1.4.1.4203.1.9.1.2";
inline constexpr const char* kSyncDoneOid = "1.3.6.1.4.1.4203.1.9.1.3";
inline constexpr const char* kSyncInfoOid = "1.3.6.1.4.1.4203.1.9.1.4";
// The result code of e-syncRefreshRequired: the server cannot resume from the cookie.
inline constexpr int kSyncRefreshRequired = 4096;

// syncRequestValue ::= SEQUENCE { mode ENUMERATED, cookie OCTET STRING OPTIONAL,
//                                 reloadHint BOOLEAN DEFAULT FALSE }
// mode refreshOnly(1); the cookie is left out when empty (the first refresh). Throws
// std::runtime_error only if the BER library fails to allocate.
std::string encode_sync_request_refresh_only(std::string_view cookie);

enum class SyncState { present = 0, add = 1, modify = 2, remove = 3 };

// syncStateValue ::= SEQUENCE { state ENUMERATED, entryUUID OCTET STRING (16),
//                               cookie OCTET STRING OPTIONAL }
struct SyncStateValue {
  SyncState state = SyncState::add;
  Uuid uuid{};
  std::optional<std::string> cookie;
};

// syncInfoValue ::= CHOICE { newcookie [0], refreshDelete [1] SEQUENCE {...},
//   refreshPresent [2] SEQUENCE {...}, syncIdSet [3] SEQUENCE { cookie OPTIONAL,
//   refreshDeletes BOOLEAN DEFAULT FALSE, syncUUIDs SET OF OCTET STRING (16) } }
struct SyncInfoValue {
  enum class Kind { new_cookie, refresh_delete, refresh_present, id_set };
  Kind kind = Kind::new_cookie;
  std::optional<std::string> cookie;
  bool refresh_done = true;      // refreshDelete / refreshPresent
  bool refresh_deletes = false;  // syncIdSet: true lists deleted entries, false present ones
  std::vector<Uuid> uuids;       // syncIdSet
};

// syncDoneValue ::= SEQUENCE { cookie OCTET STRING OPTIONAL, refreshDeletes BOOLEAN DEFAULT FALSE }
// A missing cookie means "yours is still current"; a present but empty one is not a cookie.
struct SyncDoneValue {
  std::optional<std::string> cookie;
  bool refresh_deletes = false;
};

// Each throws std::invalid_argument naming what is wrong when the bytes are not exactly the
// structure above (wrong tags, a UUID not of 16 bytes, truncation, bytes after the end).
SyncStateValue decode_sync_state(std::string_view ber);
SyncInfoValue decode_sync_info(std::string_view ber);
SyncDoneValue decode_sync_done(std::string_view ber);

}  // namespace idsync::ldap
