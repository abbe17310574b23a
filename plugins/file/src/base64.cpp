#include "base64.hpp"

#include <array>
#include <cstdint>

namespace idsync::file {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> make_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kTable = make_table();

}  // namespace

std::optional<Base64Error> decode_base64(std::string_view in, Arena& arena, std::string_view& out) {
  if (in.size() % 4 != 0)
    return Base64Error{in.size(),
                       "length " + std::to_string(in.size()) + " is not a multiple of 4"};
  std::size_t pad = 0;
  if (!in.empty() && in.back() == '=') pad = (in.size() >= 2 && in[in.size() - 2] == '=') ? 2 : 1;
  const std::size_t out_len = in.size() / 4 * 3 - pad;
  char* dst = out_len ? arena.allocate(out_len) : nullptr;
  std::size_t w = 0;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    uint32_t group = 0;
    const bool last = i + 4 == in.size();
    const std::size_t data_chars = last ? 4 - pad : 4;
    for (std::size_t k = 0; k < 4; ++k) {
      const auto c = static_cast<unsigned char>(in[i + k]);
      if (k >= data_chars) {
        if (c != '=') return Base64Error{i + k, "expected '=' padding"};
        group <<= 6;
        continue;
      }
      const int8_t v = kTable[c];
      if (v < 0) {
        std::string what = c == '=' ? "'=' before the end"
                           : (c >= 0x20 && c < 0x7f)
                               ? std::string("character '") + static_cast<char>(c) + "'"
                               : "byte " + std::to_string(c);
        return Base64Error{i + k, what + " is not base64"};
      }
      group = (group << 6) | static_cast<uint32_t>(v);
    }
    // Non-zero leftover bits mean the text is not the canonical encoding of any bytes; that is
    // almost always truncation or corruption, so it is refused.
    if (last && ((pad == 1 && (group & 0xFF)) || (pad == 2 && (group & 0xFFFF))))
      return Base64Error{i + data_chars - 1, "unused trailing bits are not zero"};
    const std::size_t bytes = last ? 3 - pad : 3;
    for (std::size_t k = 0; k < bytes; ++k)
      dst[w++] = static_cast<char>((group >> (16 - 8 * k)) & 0xFF);
  }
  out = std::string_view(dst, out_len);
  return std::nullopt;
}

std::string encode_base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t g = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    out += kAlphabet[(g >> 18) & 63];
    out += kAlphabet[(g >> 12) & 63];
    out += kAlphabet[(g >> 6) & 63];
    out += kAlphabet[g & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest) {
    uint32_t g = uint32_t{p[i]} << 16;
    if (rest == 2) g |= uint32_t{p[i + 1]} << 8;
    out += kAlphabet[(g >> 18) & 63];
    out += kAlphabet[(g >> 12) & 63];
    out += rest == 2 ? kAlphabet[(g >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace idsync::file
