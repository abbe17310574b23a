#include "codec/base64.hpp"

#include <array>
#include <cstdint>

namespace idsync::codec {

namespace {

constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> make_table(const char* alphabet) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kStandardTable = make_table(kStandard);
constexpr auto kUrlTable = make_table(kUrl);

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string not_base64(unsigned char c) {
  const std::string what = (c >= 0x20 && c < 0x7f)
                               ? std::string("character '") + static_cast<char>(c) + "'"
                               : "byte " + std::to_string(c);
  return what + " is not base64";
}

}  // namespace

std::string base64_encode(std::string_view bytes, Base64Alphabet alphabet, bool pad) {
  const char* a = alphabet == Base64Alphabet::url ? kUrl : kStandard;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t g = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    for (int shift : {18, 12, 6, 0}) out += a[(g >> shift) & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    uint32_t g = uint32_t{p[i]} << 16;
    if (rest == 2) g |= uint32_t{p[i + 1]} << 8;
    out += a[(g >> 18) & 63];
    out += a[(g >> 12) & 63];
    if (rest == 2) out += a[(g >> 6) & 63];
    if (pad) out.append(rest == 2 ? 1 : 2, '=');
  }
  return out;
}

std::optional<Base64Error> base64_decode_into(std::string_view text, const Base64Rules& rules,
                                              char* out, std::size_t& written) {
  written = 0;
  // Said first, as most readers would: a truncated text is the likeliest fault.
  if (rules.padding == Base64Padding::required && !rules.skip_whitespace && text.size() % 4 != 0)
    return Base64Error{text.size(),
                       "length " + std::to_string(text.size()) + " is not a multiple of 4"};
  const auto& table = rules.alphabet == Base64Alphabet::url ? kUrlTable : kStandardTable;
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t data = 0, pad = 0, first_pad = kNone, last_data = 0;
  uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (rules.skip_whitespace && is_space(static_cast<char>(c))) continue;
    if (c == '=') {
      if (rules.padding == Base64Padding::forbidden)
        return Base64Error{i, "'=' padding is not allowed"};
      if (first_pad == kNone) first_pad = i;
      ++pad;
      continue;
    }
    const int8_t v = table[c];
    if (v < 0) return Base64Error{i, not_base64(c)};
    if (first_pad != kNone) return Base64Error{first_pad, "'=' before the end is not base64"};
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++data;
    last_data = i;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = static_cast<char>((buffer >> bits) & 0xFF);
      buffer &= (1u << bits) - 1;
    }
  }
  if (rules.padding == Base64Padding::required && (data + pad) % 4 != 0)
    return Base64Error{text.size(),
                       "length " + std::to_string(data + pad) + " is not a multiple of 4"};
  if (data % 4 == 1) return Base64Error{last_data, "a lone character ends the text"};
  if (rules.padding == Base64Padding::required && pad > 2)
    return Base64Error{first_pad, "'=' before the end is not base64"};
  if (rules.canonical && buffer != 0)
    return Base64Error{last_data, "unused trailing bits are not zero"};
  return std::nullopt;
}

std::optional<std::string> base64_decode(std::string_view text, const Base64Rules& rules) {
  std::string out(base64_max_decoded_size(text), '\0');
  std::size_t written = 0;
  if (base64_decode_into(text, rules, out.data(), written)) return std::nullopt;
  out.resize(written);
  return out;
}

}  // namespace idsync::codec
