// RFC 4180 tokenizer: splits a CSV file into rows of fields.
//
// Fields are views into the input buffer; only fields containing doubled quotes ("") are copied
// (into the row's arena) to undo the escaping. Quoted fields may contain the delimiter, CR and
// LF. Rows end with LF or CRLF; the last row may lack a line end. Empty lines between rows are
// skipped. A UTF-8 byte order mark at the start of the file is skipped. The whole row is
// checked to be UTF-8.
//
// Line numbers are physical lines (a quoted field with embedded newlines spans several), so a
// message points at the line an editor shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arena.hpp"
#include "input_buffer.hpp"
#include "record.hpp"

namespace idsync::file {

struct CsvRow {
  std::vector<std::string_view> fields;
  uint64_t line = 0;    // line the row starts on
  uint64_t offset = 0;  // byte offset the row starts at
  Arena arena;          // unescaped copies of fields that contained ""
};

class CsvParser {
 public:
  // `name` is the file name used in messages.
  CsvParser(const InputFile& file, std::string name, char delimiter, bool stop_at_unterminated);

  // Reads the next row; false at the end of the file (or before an unterminated final row when
  // stop_at_unterminated). Throws on malformed input with "name:line[:column]: ...".
  bool next(CsvRow& row);

  // Just after the last row returned.
  Position position() const { return {buffer_.base() + pos_, line_}; }
  void seek(const Position& p);
  const std::string& name() const { return name_; }

 private:
  struct Span {
    std::size_t begin;
    std::size_t end;
    bool escaped;  // contains "" pairs to collapse
  };
  enum class Scan { complete, need_more, unterminated };

  Scan scan(std::size_t start, std::size_t& row_end, uint64_t& lines);
  [[noreturn]] void fail_at(std::size_t start, std::size_t index, std::string_view message) const;
  void check_utf8(std::size_t start, std::size_t end) const;

  InputBuffer buffer_;
  std::string name_;
  char delimiter_;
  bool stop_at_unterminated_;
  bool special_[256] = {};
  std::size_t pos_ = 0;  // index in buffer_ of the next unread byte
  uint64_t line_ = 1;    // line of that byte
  bool at_file_start_ = true;
  std::vector<Span> spans_;
};

}  // namespace idsync::file
