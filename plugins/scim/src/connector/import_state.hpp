// The two texts an import leaves with the host.
//
// Watermark, where the next delta import starts: for each object type, the service's time
// (its Date header) when the last import began reading that type. Any resource changed after
// that has a later meta.lastModified.
//   {"v":1,"mode":"lastModified","since":{"User":"2024-05-01T12:00:00Z",...}}
//
// Checkpoint, where an interrupted import resumes: the type being read, the startIndex of the
// next page, the totalResults the type's first page gave, the ids of the last page (so that a
// resource that moved to the next page while the service changed is not pushed twice), the
// watermark so far and whether every page so far was complete.
//   {"v":1,"type":"Group","next":201,"total":950,"last":["…"],"since":{…},"complete":true}
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::scim {

struct Watermark {
  std::map<std::string, std::string> since;  // object type -> RFC 3339 instant

  std::string encode() const;
  // Throws sdk::Error(IDSYNC_ERR_PRECONDITION) for text that is not a watermark of this
  // connector: a full import must run first.
  static Watermark decode(std::string_view text);
};

struct ImportCheckpoint {
  std::string type;
  int64_t next = 1;
  int64_t total = -1;  // -1: not known yet
  std::vector<std::string> last_ids;
  Watermark watermark;
  bool complete = true;

  std::string encode() const;
  // Throws sdk::Error(IDSYNC_ERR_PRECONDITION) for text that is not a checkpoint of this
  // connector (the host then starts the import over).
  static ImportCheckpoint decode(std::string_view text);
};

}  // namespace idsync::scim
