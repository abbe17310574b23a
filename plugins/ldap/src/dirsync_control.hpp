// The Active Directory DirSync control (MS-ADTS 3.1.1.3.4.1.3): a search that returns the
// objects and attributes changed since a cookie the server handed out, used for delta imports
// from AD. This file only encodes the request value and decodes the response value; sending
// the control is the connector's job.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace idsync::ldap {

inline constexpr const char* kDirSyncOid = "1.2.840.113556.1.4.841";

// Request flags (MS-ADTS 3.1.1.3.4.1.3).
inline constexpr uint32_t kDirSyncObjectSecurity = 0x1;  // only what the caller may read
inline constexpr uint32_t kDirSyncAncestorsFirstOrder = 0x800;
inline constexpr uint32_t kDirSyncPublicDataOnly = 0x2000;
inline constexpr uint32_t kDirSyncIncrementalValues = 0x80000000;  // changed values, not all

struct DirSyncRequest {
  uint32_t flags = 0;
  uint32_t max_bytes = 0;  // 0: the server's default
  std::string cookie;      // empty on the first search
};

// The BER bytes of the request control value:
//   SEQUENCE { Flags INTEGER, MaxBytes INTEGER, Cookie OCTET STRING }
// Both integers are written as 32-bit two's complement, the way Active Directory reads them:
// flags 0x80000000 go on the wire as 02 04 80 00 00 00 (-2147483648), not as the five-byte
// positive 02 05 00 80 00 00 00, which AD rejects. Throws std::runtime_error only if the BER
// library fails to allocate.
std::string encode_dirsync_request(const DirSyncRequest& request);

struct DirSyncResponse {
  bool more_results = false;  // the server has more changes: search again with the cookie
  std::string cookie;         // opaque; send it back in the next request
};

// Decodes the response control value:
//   SEQUENCE { MoreResults INTEGER, unused INTEGER, CookieServer OCTET STRING }
// Throws std::invalid_argument when the bytes are not exactly that (wrong tags, truncated,
// lengths that disagree, bytes after the sequence).
DirSyncResponse decode_dirsync_response(std::string_view ber);

}  // namespace idsync::ldap
