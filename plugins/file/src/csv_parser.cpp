#include "csv_parser.hpp"

#include <algorithm>
#include <cstring>

#include "record_reader.hpp"
#include "source_error.hpp"
#include "utf8.hpp"

namespace idsync::file {

CsvParser::CsvParser(const InputFile& file, std::string name, char delimiter,
                     bool stop_at_unterminated)
    : buffer_(file),
      name_(std::move(name)),
      delimiter_(delimiter),
      stop_at_unterminated_(stop_at_unterminated) {
  special_[static_cast<unsigned char>(delimiter)] = true;
  special_[static_cast<unsigned char>('"')] = true;
  special_[static_cast<unsigned char>('\r')] = true;
  special_[static_cast<unsigned char>('\n')] = true;
}

void CsvParser::seek(const Position& p) {
  buffer_.seek(p.offset);
  pos_ = 0;
  line_ = p.line;
  at_file_start_ = p.offset == 0;
}

void CsvParser::fail_at(std::size_t start, std::size_t index, std::string_view message) const {
  // The row starts at the beginning of line_; find the line and column of `index` within it.
  const char* d = buffer_.data();
  uint64_t line = line_;
  std::size_t line_begin = start;
  for (std::size_t i = start; i < index; ++i) {
    if (d[i] == '\n') {
      ++line;
      line_begin = i + 1;
    }
  }
  throw_at(name_, line, index - line_begin + 1, message);
}

void CsvParser::check_utf8(std::size_t start, std::size_t end) const {
  const std::size_t bad = find_invalid_utf8(std::string_view(buffer_.data() + start, end - start));
  if (bad != std::string_view::npos) {
    static const char* hex = "0123456789abcdef";
    const auto c = static_cast<unsigned char>(buffer_.data()[start + bad]);
    fail_at(start, start + bad,
            std::string("invalid UTF-8 (byte 0x") + hex[c >> 4] + hex[c & 15] + ")");
  }
}

// Scans one row starting at `start`. On `complete`, spans_ holds the fields, row_end is the
// index after the row's line end and lines the number of line ends inside and after the row.
CsvParser::Scan CsvParser::scan(std::size_t start, std::size_t& row_end, uint64_t& lines) {
  const char* d = buffer_.data();
  const std::size_t n = buffer_.size();
  const bool eof = buffer_.at_eof();
  spans_.clear();
  lines = 0;
  std::size_t i = start;
  for (;;) {
    const std::size_t field_begin = i;
    if (i < n && d[i] == '"') {
      ++i;
      bool escaped = false;
      std::size_t close;
      for (;;) {
        const void* q = i < n ? std::memchr(d + i, '"', n - i) : nullptr;
        if (q == nullptr) {
          if (!eof) return Scan::need_more;
          if (stop_at_unterminated_) return Scan::unterminated;  // still being written
          fail_at(start, field_begin, "quoted field is not closed (the file ends inside it)");
        }
        const std::size_t at = static_cast<const char*>(q) - d;
        if (at + 1 < n && d[at + 1] == '"') {
          escaped = true;
          i = at + 2;
          continue;
        }
        if (at + 1 == n && !eof) return Scan::need_more;  // "" may straddle the buffer end
        close = at;
        break;
      }
      lines += static_cast<uint64_t>(std::count(d + field_begin, d + close, '\n'));
      spans_.push_back({field_begin + 1, close, escaped});
      i = close + 1;
      if (i == n) {
        if (!eof) return Scan::need_more;
        row_end = i;
        return Scan::unterminated;
      }
      const char c = d[i];
      if (c == delimiter_) {
        ++i;
        continue;
      }
      if (c == '\n') {
        row_end = i + 1;
        ++lines;
        return Scan::complete;
      }
      if (c == '\r') {
        if (i + 1 == n && !eof) return Scan::need_more;
        if (i + 1 < n && d[i + 1] == '\n') {
          row_end = i + 2;
          ++lines;
          return Scan::complete;
        }
        fail_at(start, i, "carriage return not followed by a line feed");
      }
      fail_at(start, i, "unexpected character after the closing quote of a field");
    }
    // Unquoted field: the hot loop. One table lookup per byte.
    while (i < n && !special_[static_cast<unsigned char>(d[i])]) ++i;
    if (i == n) {
      if (!eof) return Scan::need_more;
      spans_.push_back({field_begin, i, false});
      row_end = i;
      return Scan::unterminated;
    }
    const char c = d[i];
    if (c == delimiter_) {
      spans_.push_back({field_begin, i, false});
      ++i;
      continue;
    }
    if (c == '\n') {
      spans_.push_back({field_begin, i, false});
      row_end = i + 1;
      ++lines;
      return Scan::complete;
    }
    if (c == '\r') {
      if (i + 1 == n && !eof) return Scan::need_more;
      if (i + 1 < n && d[i + 1] == '\n') {
        spans_.push_back({field_begin, i, false});
        row_end = i + 2;
        ++lines;
        return Scan::complete;
      }
      fail_at(start, i, "carriage return not followed by a line feed");
    }
    fail_at(start, i,
            "quote inside an unquoted field (quote the whole field and double the quote)");
  }
}

bool CsvParser::next(CsvRow& row) {
  for (;;) {
    const char* d = buffer_.data();
    std::size_t n = buffer_.size();
    if (at_file_start_) {
      // The byte order mark is only meaningful at offset 0; wait for three bytes to decide.
      if (n - pos_ < 3 && !buffer_.at_eof()) {
        buffer_.refill(pos_);
        pos_ = 0;
        continue;
      }
      if (n - pos_ >= 3 && std::memcmp(d + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
      at_file_start_ = false;
    }
    // Skip empty lines between rows.
    while (pos_ < n) {
      if (d[pos_] == '\n') {
        ++pos_;
        ++line_;
      } else if (d[pos_] == '\r' && pos_ + 1 < n && d[pos_ + 1] == '\n') {
        pos_ += 2;
        ++line_;
      } else {
        break;
      }
    }
    if (pos_ == n || (d[pos_] == '\r' && pos_ + 1 == n)) {
      if (buffer_.at_eof()) {
        if (pos_ == n) return false;
        fail_at(pos_, pos_, "carriage return not followed by a line feed");
      }
      buffer_.refill(pos_);
      pos_ = 0;
      continue;
    }

    std::size_t row_end = 0;
    uint64_t lines = 0;
    const Scan s = scan(pos_, row_end, lines);
    if (s == Scan::need_more) {
      if (buffer_.size() - pos_ > kMaxRecordBytes)
        throw_at(name_, line_,
                 "row is larger than 64 MiB (is a quoted field on this line missing its "
                 "closing quote?)");
      buffer_.refill(pos_);
      pos_ = 0;
      continue;
    }
    if (s == Scan::unterminated && stop_at_unterminated_) return false;

    check_utf8(pos_, row_end);
    row.arena.reset();
    row.line = line_;
    row.offset = buffer_.base() + pos_;
    row.fields.resize(spans_.size());
    for (std::size_t k = 0; k < spans_.size(); ++k) {
      const Span& sp = spans_[k];
      if (!sp.escaped) {
        row.fields[k] = std::string_view(d + sp.begin, sp.end - sp.begin);
        continue;
      }
      char* out = row.arena.allocate(sp.end - sp.begin);
      std::size_t w = 0;
      for (std::size_t j = sp.begin; j < sp.end; ++j) {
        out[w++] = d[j];
        if (d[j] == '"') ++j;  // the scanner guarantees quotes come in pairs here
      }
      row.fields[k] = std::string_view(out, w);
    }
    pos_ = row_end;
    line_ += lines;
    return true;
  }
}

}  // namespace idsync::file
