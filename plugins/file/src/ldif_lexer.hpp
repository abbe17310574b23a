// RFC 2849 lexical layer: splits an LDIF file into records (separated by blank lines) and each
// record into logical lines "name: value", "name:: base64" or "-".
//
// Folded lines (a physical line starting with one space continues the previous one; the space
// is dropped) are joined before anything else, so folding may split a base64 text or a UTF-8
// sequence anywhere. Comment lines ("#", with their own continuations) are skipped, also inside
// a record. Base64 values are decoded here; plain values must be UTF-8. "attr:< URL" values are
// refused: reading local files named by the input would let a data file read anything the
// service account can.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arena.hpp"
#include "input_buffer.hpp"
#include "record.hpp"

namespace idsync::file {

struct LdifLine {
  enum class Kind { value, separator };  // separator: a "-" line (ends a modify section)
  Kind kind = Kind::value;
  std::string_view name;   // attribute description as written (may carry options: "cn;lang-de")
  std::string_view value;  // decoded
  bool base64 = false;     // the value was written with "::"
  bool binary = false;     // base64 that did not decode to UTF-8 text
  uint64_t line = 0;       // physical line the logical line starts on
};

struct LdifRecordText {
  std::vector<LdifLine> lines;
  uint64_t line = 0;    // first line of the record
  uint64_t offset = 0;  // byte offset of the record
};

class LdifLexer {
 public:
  LdifLexer(const InputFile& file, std::string name, bool stop_at_unterminated);

  // Reads the next record's lines (views into the buffer or `arena`). false at the end.
  bool next(LdifRecordText& record, Arena& arena);

  Position position() const { return {buffer_.base() + pos_, line_}; }
  void seek(const Position& p);
  const std::string& name() const { return name_; }

 private:
  struct Physical {
    std::size_t begin;
    std::size_t end;  // excludes the line end
    uint64_t line;
  };
  void parse_logical(std::string_view text, uint64_t line, LdifRecordText& record, Arena& arena);

  InputBuffer buffer_;
  std::string name_;
  bool stop_at_unterminated_;
  std::size_t pos_ = 0;
  uint64_t line_ = 1;
  std::vector<Physical> physical_;
  std::vector<std::string_view> pieces_;
};

}  // namespace idsync::file
