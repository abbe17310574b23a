// Maps CSV rows to records: the header names the attributes, the configured columns give the
// anchor, the DN, the object type and (in change files) the change kind.
//
// An empty field means the attribute is absent. Inside a field, the multi-value separator
// splits values ("a;b" is two values; empty pieces are dropped); the anchor, DN, object type
// and change type columns are never split. The DN, object type and change type columns are
// metadata and not attributes; the anchor column is both the anchor and an attribute.
#pragma once

#include <string>
#include <vector>

#include "csv_parser.hpp"
#include "record_reader.hpp"

namespace idsync::file {

class CsvReader : public RecordReader {
 public:
  CsvReader(const InputFile& file, const FormatOptions& options, const ReadMode& mode);

  bool next(Record& record) override;
  Position position() const override { return no_header_yet_ ? Position{} : parser_.position(); }
  void seek(const Position& position) override;
  const std::string& name() const override { return parser_.name(); }

  const std::vector<std::string>& header() const { return header_; }

 private:
  enum class Role : unsigned char { attribute, anchor, dn, anchor_and_dn, type, change, skip };

  std::size_t column_of(std::string_view column, std::string_view field) const;
  void split_values(std::string_view field, Attribute& attr) const;

  FormatOptions options_;
  ReadMode mode_;
  CsvParser parser_;
  CsvRow row_;
  std::vector<std::string> header_;
  std::vector<Role> roles_;
  std::string anchor_column_display_;
  Position data_start_;
  uint64_t header_line_ = 1;
  bool no_header_yet_ = false;
};

// Reads just the header row of a CSV file (schema discovery, test_connection).
std::vector<std::string> read_csv_header(const InputFile& file, const FormatOptions& options);

}  // namespace idsync::file
