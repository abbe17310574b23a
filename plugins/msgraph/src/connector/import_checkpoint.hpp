// Where a Graph import resumes after its last committed page: the object type being read and
// the service's link to the next page, plus what the import carries to its end (the full
// import's watermark, taken before it read anything; the delta import's finished rounds).
//
// Text form (JSON): {"v":1,"type":"group","next":"https://…?$skiptoken=…","carry":"…"}
#pragma once

#include <string>
#include <string_view>

namespace idsync::msgraph {

struct ImportCheckpoint {
  std::string type;   // the object type whose pages are being read
  std::string next;   // the next page's link; empty: the type's first page
  std::string carry;  // a DeltaWatermark's text

  std::string encode() const;
  // Throws sdk::Error(PRECONDITION) for text that is not a checkpoint of this connector.
  static ImportCheckpoint decode(std::string_view text);
};

}  // namespace idsync::msgraph
