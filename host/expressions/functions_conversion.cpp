// Conversion functions: CStr, CNum, CBool, BitAnd, BitOr, ConvertToBase64, ConvertFromBase64,
// ConvertToUTF8Hex, StringFromGuid, StringFromSid. NULL in gives NULL out, except CBool
// (NULL is False) and BitAnd/BitOr (an error: there is no number to combine).
#include <cstdio>

#include "expressions/function_support.hpp"
#include "expressions/functions.hpp"
#include "expressions/text.hpp"

namespace idsync::expr::detail {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) |
                      (static_cast<unsigned char>(in[i + 1]) << 8) |
                      static_cast<unsigned char>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64[(v >> shift) & 63];
  }
  if (std::size_t rest = in.size() - i) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Strict: length a multiple of 4, padding only at the end. Returns false on any other input.
bool base64_decode(std::string_view in, std::string& out) {
  if (in.size() % 4 != 0) return false;
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); i += 4) {
    bool last = i + 4 == in.size();
    int pad = last ? (in[i + 3] == '=') + (in[i + 2] == '=' && in[i + 3] == '=') : 0;
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      int s = k >= 4 - pad ? 0 : sextet(in[i + k]);
      if (s < 0) return false;
      v = (v << 6) | static_cast<std::uint32_t>(s);
    }
    out += static_cast<char>(v >> 16);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(v & 0xFF);
  }
  return true;
}

// UTF-8 to UTF-16LE bytes; false on malformed UTF-8.
bool utf8_to_utf16le(std::string_view in, std::string& out) {
  auto put = [&](std::uint32_t u) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  };
  for (std::size_t i = 0; i < in.size();) {
    auto c = static_cast<unsigned char>(in[i]);
    std::uint32_t cp;
    int extra;
    if (c < 0x80) {
      cp = c;
      extra = 0;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      extra = 2;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      extra = 3;
    } else {
      return false;
    }
    if (i + extra >= in.size() + (extra == 0)) return false;
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(in[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xD800 + (cp >> 10));
      put(0xDC00 + (cp & 0x3FF));
    } else {
      put(cp);
    }
  }
  return true;
}

// UTF-16LE bytes to UTF-8; false on odd length or unpaired surrogates.
bool utf16le_to_utf8(std::string_view in, std::string& out) {
  if (in.size() % 2) return false;
  for (std::size_t i = 0; i < in.size(); i += 2) {
    std::uint32_t u =
        static_cast<unsigned char>(in[i]) | (static_cast<unsigned char>(in[i + 1]) << 8);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 >= in.size()) return false;
      std::uint32_t lo =
          static_cast<unsigned char>(in[i + 2]) | (static_cast<unsigned char>(in[i + 3]) << 8);
      if (lo < 0xDC00 || lo > 0xDFFF) return false;
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return false;
    }
    if (u < 0x80) {
      out += static_cast<char>(u);
    } else if (u < 0x800) {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else if (u < 0x10000) {
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (u >> 18));
      out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }
  return true;
}

const std::string* binary_arg(std::span<Value> args, std::size_t i, const Call& call) {
  const Scalar* s = single(args, i, call);
  if (!s) return nullptr;
  if (s->type != ValueType::binary)
    fail_arg(call, i,
             "expected binary, found " + std::string(type_name(s->type)) + " " + describe(*s));
  return &s->bytes;
}

}  // namespace

// CStr(num | ref | bool | str | dt): the text form (booleans "True"/"False", datetimes RFC 3339).
Value fn_cstr(std::span<Value> args, const Call& call) {
  if (!text_in_place(args, 0, call)) return {};
  return std::move(args[0]);
}

// CNum(str | num): a 64-bit integer. Fractions are not supported (the value model has no
// floating point); "12.5" is an error rather than a silently rounded 12 or 13.
Value fn_cnum(std::span<Value> args, const Call& call) {
  const Scalar* s = single(args, 0, call);
  if (!s) return {};
  if (s->type == ValueType::boolean)
    fail_arg(call, 0, "expected a number or text, found boolean " + describe(*s));
  return Value::integer(integer_of(*s, 0, call));
}

// CBool(exp): True for True, a non-zero number, "True" (any case) or non-zero numeric text;
// False for NULL, False, 0, "False".
Value fn_cbool(std::span<Value> args, const Call& call) {
  return Value::boolean(truth(args[0], 0, call));
}

Value fn_bitand(std::span<Value> args, const Call& call) {
  return Value::integer(integer_arg(args, 0, call) & integer_arg(args, 1, call));
}

Value fn_bitor(std::span<Value> args, const Call& call) {
  return Value::integer(integer_arg(args, 0, call) | integer_arg(args, 1, call));
}

// ConvertToBase64(str): base64 of the UTF-16LE ("Unicode") encoding, as Entra does:
// ConvertToBase64("Hello world!") is "SABlAGwAbABvACAAdwBvAHIAbABkACEA". A binary argument is
// encoded as its raw bytes.
Value fn_convert_to_base64(std::span<Value> args, const Call& call) {
  const Scalar* s = single(args, 0, call);
  if (!s) return {};
  if (s->type == ValueType::binary) return Value::string(base64_encode(s->bytes));
  std::string& text = scalar_text_in_place(args[0][0], 0, call);
  std::string utf16;
  if (!utf8_to_utf16le(text, utf16)) fail_arg(call, 0, "text is not valid UTF-8");
  return Value::string(base64_encode(utf16));
}

// ConvertFromBase64(str [, Unicode | UTF8]): decodes, then reads the bytes as UTF-16LE
// (Unicode, the default) or UTF-8.
Value fn_convert_from_base64(std::span<Value> args, const Call& call) {
  bool utf8 = false;
  if (args.size() > 1) {
    std::string enc = text_arg(args, 1, call);
    if (iequals(enc, "UTF8"))
      utf8 = true;
    else if (!iequals(enc, "Unicode"))
      fail_arg(call, 1, "expected Unicode or UTF8, found \"" + enc + "\"");
  }
  std::string* text = text_in_place(args, 0, call);
  if (!text) return {};
  std::string bytes;
  if (!base64_decode(*text, bytes)) fail_arg(call, 0, "\"" + *text + "\" is not valid base64");
  if (utf8) return Value::string(std::move(bytes));
  std::string out;
  if (!utf16le_to_utf8(bytes, out))
    fail_arg(call, 0,
             "the decoded bytes are not valid UTF-16 (Unicode); pass UTF8 if they are UTF-8");
  return Value::string(std::move(out));
}

// ConvertToUTF8Hex(str): the UTF-8 bytes as upper-case hex, ConvertToUTF8Hex("Hello world!")
// = "48656C6C6F20776F726C6421".
Value fn_convert_to_utf8_hex(std::span<Value> args, const Call& call) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string* text = text_in_place(args, 0, call);
  if (!text) return {};
  std::string out;
  out.reserve(text->size() * 2);
  for (unsigned char c : *text) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return Value::string(std::move(out));
}

// StringFromGuid(bin): the 16-byte GUID (Windows byte order: the first three fields little
// endian, as objectGUID is stored) in the registry format .NET's Guid.ToString() uses:
// lower-case, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", no braces.
Value fn_string_from_guid(std::span<Value> args, const Call& call) {
  const std::string* b = binary_arg(args, 0, call);
  if (!b) return {};
  if (b->size() != 16) fail_arg(call, 0, "a GUID is 16 bytes, found " + std::to_string(b->size()));
  auto u = [&](int i) { return static_cast<unsigned>(static_cast<unsigned char>((*b)[i])); };
  char buf[40];
  std::snprintf(buf, sizeof buf,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u(3), u(2),
                u(1), u(0), u(5), u(4), u(7), u(6), u(8), u(9), u(10), u(11), u(12), u(13), u(14),
                u(15));
  return Value::string(buf);
}

// StringFromSid(bin): the binary SID in SDDL form, "S-1-5-21-...".
Value fn_string_from_sid(std::span<Value> args, const Call& call) {
  const std::string* b = binary_arg(args, 0, call);
  if (!b) return {};
  auto byte = [&](std::size_t i) {
    return static_cast<std::uint64_t>(static_cast<unsigned char>((*b)[i]));
  };
  if (b->size() < 8)
    fail_arg(call, 0, "a SID is at least 8 bytes, found " + std::to_string(b->size()));
  std::size_t count = byte(1);
  if (b->size() != 8 + 4 * count)
    fail_arg(call, 0,
             "a SID with " + std::to_string(count) + " sub-authorities is " +
                 std::to_string(8 + 4 * count) + " bytes, found " + std::to_string(b->size()));
  std::uint64_t authority = 0;
  for (std::size_t i = 2; i < 8; ++i) authority = (authority << 8) | byte(i);  // big endian
  std::string out = "S-" + std::to_string(byte(0)) + "-" + std::to_string(authority);
  for (std::size_t k = 0; k < count; ++k) {
    std::size_t o = 8 + 4 * k;  // sub-authorities are little endian
    std::uint64_t sub = byte(o) | byte(o + 1) << 8 | byte(o + 2) << 16 | byte(o + 3) << 24;
    out += "-" + std::to_string(sub);
  }
  return Value::string(std::move(out));
}

}  // namespace idsync::expr::detail
