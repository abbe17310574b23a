#include "base64.hpp"

namespace idsync::file {

std::optional<Base64Error> decode_base64(std::string_view in, Arena& arena, std::string_view& out) {
  const std::size_t room = codec::base64_max_decoded_size(in);
  char* dst = room ? arena.allocate(room) : nullptr;
  std::size_t written = 0;
  if (auto error = codec::base64_decode_into(in, codec::Base64Rules{}, dst, written)) return error;
  out = std::string_view(dst, written);
  return std::nullopt;
}

}  // namespace idsync::file
