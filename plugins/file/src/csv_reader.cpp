#include "csv_reader.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "change_type.hpp"
#include "source_error.hpp"

namespace idsync::file {

CsvReader::CsvReader(const InputFile& file, const FormatOptions& options, const ReadMode& mode)
    : options_(options),
      mode_(mode),
      parser_(file, display_name(file.path()), options.delimiter, mode.stop_at_unterminated) {
  // The header is read even by a reader that then seeks to a checkpoint: the columns are needed
  // to understand any row.
  if (!parser_.next(row_)) {
    // A change file may exist before its header line is complete: nothing to read yet.
    if (mode_.stop_at_unterminated) {
      no_header_yet_ = true;
      return;
    }
    throw_at(name(), 1, "the file is empty: expected a header row");
  }
  std::unordered_set<std::string_view> seen;
  for (std::size_t k = 0; k < row_.fields.size(); ++k) {
    const std::string_view col = row_.fields[k];
    if (col.empty())
      throw_at(name(), row_.line, "column " + std::to_string(k + 1) + " of the header has no name");
    if (!seen.insert(col).second)
      throw_at(name(), row_.line, "column " + quoted(col) + " appears twice in the header");
  }
  header_.assign(row_.fields.begin(), row_.fields.end());
  header_line_ = row_.line;
  data_start_ = parser_.position();

  roles_.assign(header_.size(), Role::attribute);
  for (std::size_t k = 0; k < header_.size(); ++k)
    if (!options_.wants_attribute(header_[k])) roles_[k] = Role::skip;
  const std::size_t anchor = column_of(options_.anchor, "anchor_column");
  roles_[anchor] = Role::anchor;
  if (!options_.dn_column.empty()) {
    const std::size_t dn = column_of(options_.dn_column, "dn_column");
    roles_[dn] = dn == anchor ? Role::anchor_and_dn : Role::dn;
  }
  if (!options_.object_type_column.empty())
    roles_[column_of(options_.object_type_column, "object_type_column")] = Role::type;
  if (!options_.change_type_column.empty()) {
    // Optional in a full-state file (where it may only say add/state), required in a change file.
    const auto it = std::find(header_.begin(), header_.end(), options_.change_type_column);
    if (it != header_.end())
      roles_[static_cast<std::size_t>(it - header_.begin())] = Role::change;
    else if (mode_.change_records)
      column_of(options_.change_type_column, "change_type_column");
  }
  for (const std::string& a : options_.attributes)
    if (std::find(header_.begin(), header_.end(), a) == header_.end())
      throw_at(name(), row_.line,
               "no column " + quoted(a) + " (listed in attributes); the header has " +
                   std::to_string(header_.size()) + " columns");
}

std::size_t CsvReader::column_of(std::string_view column, std::string_view field) const {
  for (std::size_t k = 0; k < header_.size(); ++k)
    if (header_[k] == column) return k;
  std::string names;
  for (std::size_t k = 0; k < header_.size() && k < 20; ++k) names += (k ? ", " : "") + header_[k];
  if (header_.size() > 20) names += ", ...";
  throw_at(name(), header_line_,
           "no column " + quoted(column) + " (" + std::string(field) + ") in the header: " + names);
}

void CsvReader::seek(const Position& position) {
  if (no_header_yet_) return;
  parser_.seek(position.offset < data_start_.offset ? data_start_ : position);
}

void CsvReader::split_values(std::string_view field, Attribute& attr) const {
  const std::string& sep = options_.multi_value_separator;
  if (sep.empty()) {
    attr.values.push_back(field);
    return;
  }
  std::size_t begin = 0;
  for (;;) {
    std::size_t at;
    if (sep.size() == 1) {
      const void* p = std::memchr(field.data() + begin, sep[0], field.size() - begin);
      at = p ? static_cast<std::size_t>(static_cast<const char*>(p) - field.data())
             : std::string_view::npos;
    } else {
      at = field.find(sep, begin);
    }
    const std::size_t end = at == std::string_view::npos ? field.size() : at;
    if (end > begin) attr.values.push_back(field.substr(begin, end - begin));
    if (at == std::string_view::npos) return;
    begin = at + sep.size();
  }
}

bool CsvReader::next(Record& record) {
  if (no_header_yet_ || !parser_.next(row_)) return false;
  if (row_.fields.size() != header_.size())
    throw_at(name(), row_.line,
             "expected " + std::to_string(header_.size()) + " fields as in the header, found " +
                 std::to_string(row_.fields.size()));
  record.clear();
  record.line = row_.line;
  record.offset = row_.offset;
  record.object_type = options_.object_type;
  std::string_view change_text;
  std::size_t change_column = 0;
  for (std::size_t k = 0; k < roles_.size(); ++k) {
    const std::string_view f = row_.fields[k];
    switch (roles_[k]) {
      case Role::skip:
        break;
      case Role::attribute:
        if (!f.empty()) {
          Attribute& a = record.add(header_[k]);
          split_values(f, a);
          if (a.values.empty()) record.drop_last();
        }
        break;
      case Role::anchor:
      case Role::anchor_and_dn:
        record.anchor = f;
        if (roles_[k] == Role::anchor_and_dn) record.dn = f;
        if (!f.empty()) record.add(header_[k]).values.push_back(f);
        break;
      case Role::dn:
        record.dn = f;
        break;
      case Role::type:
        if (!f.empty()) record.object_type = f;
        break;
      case Role::change:
        change_text = f;
        change_column = k;
        break;
    }
  }
  if (!change_text.empty()) {
    const auto change = parse_change_word(change_text);
    if (!change)
      throw_at(name(), row_.line,
               "unknown change type " + quoted(change_text) + " in column " +
                   quoted(header_[change_column]) + " (expected add, update, delete or state)");
    if (!mode_.change_records && *change != IDSYNC_CHANGE_STATE && *change != IDSYNC_CHANGE_ADD)
      throw_at(name(), row_.line,
               "change type " + quoted(change_text) +
                   " is only allowed in a change file; this file holds full state");
    record.change = mode_.change_records ? *change : IDSYNC_CHANGE_STATE;
  }
  if (record.anchor.empty())
    throw_at(name(), row_.line, "empty anchor (column " + quoted(options_.anchor) + ")");
  return true;
}

std::vector<std::string> read_csv_header(const InputFile& file, const FormatOptions& options) {
  FormatOptions o = options;
  o.attributes.clear();
  o.change_type_column.clear();
  return CsvReader(file, o, ReadMode{}).header();
}

}  // namespace idsync::file
