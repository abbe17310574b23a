// Binary encoding of stored records. Compact and copy-light because full imports write every
// object: no JSON on this path. Every record starts with a format byte so that a later schema
// version can read old records during a migration.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/cs_object.hpp"

namespace idsync::store {

class CorruptRecord : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends to a byte string.
class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void varint(uint64_t v);
  void bytes(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }
  void u32be(uint32_t v);
  void u64be(uint64_t v);

 private:
  std::string& out_;
};

// Reads what Encoder wrote; throws CorruptRecord on truncated or malformed input.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  uint8_t u8();
  uint64_t varint();
  std::string_view bytes();
  uint32_t u32be();
  uint64_t u64be();
  bool done() const { return pos_ == in_.size(); }

 private:
  void need(size_t n) const;
  std::string_view in_;
  size_t pos_ = 0;
};

// The object minus its anchor (the anchor is the key).
void encode_cs_object(const CsObject& object, std::string& out);
void decode_cs_object(std::string_view anchor, std::string_view value, CsObject& out);

}  // namespace idsync::store
