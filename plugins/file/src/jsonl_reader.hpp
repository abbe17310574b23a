// JSON Lines: one JSON object per line. Keys are attributes; a value is a string, a number, a
// boolean, null or an array of those. Three keys are metadata, not attributes: "_dn" (string),
// "_object_type" (string) and "_change" ("add", "update", "delete" or "state"; anything but
// state/add only in a change file). Blank lines are skipped.
//
// Value types: all integers -> IDSYNC_VALUE_INTEGER, all booleans -> IDSYNC_VALUE_BOOLEAN,
// otherwise strings (a fractional number keeps the text it was written with). null and [] mean
// "absent" in a state record and "clear the attribute" in an update. Nested objects and arrays
// are refused, as are duplicate keys (which standard JSON parsers silently resolve to the last
// one; an identity feed with two "mail" keys is a bug to report, not to guess about).
//
// The object is parsed with Boost.JSON's SAX parser straight into the record, without building
// a DOM, and errors carry the line and column.
#pragma once

#include <memory>

#include "record_reader.hpp"

namespace idsync::file {

class JsonlReader : public RecordReader {
 public:
  JsonlReader(const InputFile& file, const FormatOptions& options, const ReadMode& mode);
  ~JsonlReader() override;

  bool next(Record& record) override;
  Position position() const override { return {buffer_.base() + pos_, line_}; }
  void seek(const Position& position) override;
  const std::string& name() const override { return name_; }

 private:
  struct Parser;
  void map(Record& record, uint64_t line);

  FormatOptions options_;
  ReadMode mode_;
  InputBuffer buffer_;
  std::string name_;
  std::size_t pos_ = 0;
  uint64_t line_ = 1;
  std::unique_ptr<Parser> parser_;
};

}  // namespace idsync::file
