// The watermark of a Graph import: per object type, the deltaLink the next delta round starts
// from and the $select it was made with. The link holds the service's opaque token; the
// select is kept so that a changed attribute list asks for a full import instead of silently
// reading fewer or more properties than the connector space holds.
//
// Text form (JSON): {"v":1,"types":{"user":{"link":"https://…/users/delta?$deltatoken=…",
// "select":"id,displayName,…"},"group":{…}}}
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace idsync::msgraph {

struct DeltaLink {
  std::string link;
  std::string select;
};

struct DeltaWatermark {
  std::map<std::string, DeltaLink> types;

  std::string encode() const;
  // Throws sdk::Error(PRECONDITION) for text that is not a watermark of this connector.
  static DeltaWatermark decode(std::string_view text);
};

}  // namespace idsync::msgraph
