// Binary encoding of stored records. Compact and copy-light because full imports write every
// object: no JSON on this path. Every record starts with a format byte so that a later schema
// version can read old records during a migration.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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
  size_t remaining() const { return in_.size() - pos_; }

 private:
  void need(size_t n) const;
  std::string_view in_;
  size_t pos_ = 0;
};

// Value changes (value_change.hpp) as records carry them: count, then per change its name, added
// values and removed values. decode throws CorruptRecord on damage.
void encode_value_changes(Encoder& e, const std::vector<ValueChange>& changes);
void decode_value_changes(Decoder& d, std::vector<ValueChange>& out);

// The object minus its anchor (the anchor is the key). A record is a header (format, pending
// change, object type, DN, previous DN, changed attribute names and, in format 2 only, the
// value changes) followed by the attribute section. Format 3 is format 1 for a placeholder
// awaiting its add (CsObject::awaiting_add), so the mark costs no byte and clearing it rewrites
// only the format byte (confirmed_placeholder). Format 4 is format 1 for an object of a first
// import (CsObject::first_import): its mark too costs no byte, and it never needs clearing.
// The attribute section of canonical attributes is a pure function of the values, so an import
// can tell "unchanged" by comparing bytes without decoding.
void encode_cs_object(const CsObject& object, std::string& out);
// The attribute section alone, appended to `out` after a header from encode_cs_header: a sync
// that only clears an object's pending change writes the header anew and this, without copying
// the object.
void encode_cs_attributes(const std::vector<Attribute>& attributes, std::string& out);
void decode_cs_object(std::string_view anchor, std::string_view value, CsObject& out);

// Format 1 when there are no value changes (the records of every object but a pending update
// of a reference attribute), format 2 with them.
void encode_cs_header(PendingChange pending, std::string_view object_type, std::string_view dn,
                      std::string_view previous_dn, const std::vector<std::string>& changed,
                      std::string& out, const std::vector<ValueChange>& value_changes = {});

// The header of a first_import object (format 4), to which encode_cs_attributes appends its
// attribute section.
void encode_first_import_header(std::string_view object_type, std::string_view dn,
                                std::string& out);

// The record of a placeholder (format 3) as the record of the object the connected system now
// holds (format 1), byte for byte otherwise. Throws CorruptRecord when `value` is not a
// placeholder's record.
std::string confirmed_placeholder(std::string_view value);

// The header fields of an encoded object, as views into the record, and where its attribute
// section starts.
struct CsHeaderView {
  PendingChange pending = PendingChange::none;
  std::string_view object_type;
  std::string_view dn;
  std::string_view previous_dn;
  bool awaiting_add = false;  // CsObject::awaiting_add
  bool first_import = false;  // CsObject::first_import
  size_t attributes_offset = 0;
};
CsHeaderView parse_cs_header(std::string_view value);

}  // namespace idsync::store
