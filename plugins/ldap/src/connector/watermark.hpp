// The connector's watermarks: JSON text with the kind of delta source that wrote it and one
// token per partition (a DirSync or content-sync cookie, base64). Reading one of another kind,
// of other partitions or of no JSON at all is a PRECONDITION error: the host then runs a full
// import, which is the only safe answer to a watermark the connector cannot trust.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace idsync::ldap {

struct Watermark {
  std::string kind;  // "ad.dirsync", "ad.usn", "rfc4533"
  // partition DN -> the source's token for it (raw bytes; base64 in the text)
  std::vector<std::pair<std::string, std::string>> tokens;
  // Source-specific scalars (ad.usn: invocation id and USN).
  std::string invocation_id;
  std::string usn;

  std::string encode() const;
  // Throws sdk::Error PRECONDITION naming what is wrong. `expected_kind` must match, and the
  // partitions must be `partitions` (in any order).
  static Watermark decode(const std::string& text, const std::string& expected_kind,
                          const std::vector<std::string>& partitions);
  // The token of `partition`; empty when none.
  const std::string& token(const std::string& partition) const;
  void set_token(const std::string& partition, std::string token);
};

}  // namespace idsync::ldap
