#include "ldif_lexer.hpp"

#include <cstring>

#include "base64.hpp"
#include "record_reader.hpp"
#include "source_error.hpp"
#include "utf8.hpp"

namespace idsync::file {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == ';' || c == '.';
}

std::string_view strip_cr(const char* d, std::size_t begin, std::size_t end) {
  if (end > begin && d[end - 1] == '\r') --end;
  return std::string_view(d + begin, end - begin);
}

}  // namespace

LdifLexer::LdifLexer(const InputFile& file, std::string name, bool stop_at_unterminated)
    : buffer_(file), name_(std::move(name)), stop_at_unterminated_(stop_at_unterminated) {}

void LdifLexer::seek(const Position& p) {
  buffer_.seek(p.offset);
  pos_ = 0;
  line_ = p.line;
}

bool LdifLexer::next(LdifRecordText& record, Arena& arena) {
  for (;;) {
    const char* d = buffer_.data();
    const std::size_t n = buffer_.size();
    const bool eof = buffer_.at_eof();

    // Skip blank lines and comments before the record; they are consumed for good.
    bool in_comment = false;
    bool need_more = false;
    while (pos_ < n) {
      const void* nl = std::memchr(d + pos_, '\n', n - pos_);
      if (nl == nullptr && !eof) {
        need_more = true;
        break;
      }
      const std::size_t end = nl ? static_cast<const char*>(nl) - d : n;
      const std::string_view text = strip_cr(d, pos_, end);
      if (text.empty()) {
        in_comment = false;
      } else if (text[0] == '#' || (text[0] == ' ' && in_comment)) {
        in_comment = true;
      } else {
        break;
      }
      pos_ = nl ? end + 1 : n;
      if (nl) ++line_;
    }
    if (need_more || (pos_ == n && !eof)) {
      buffer_.refill(pos_);
      pos_ = 0;
      continue;
    }
    if (pos_ == n) return false;

    // Find the extent of the record: physical lines up to a blank line or the end of the file.
    physical_.clear();
    std::size_t i = pos_;
    uint64_t line = line_;
    bool terminated = false;
    need_more = false;
    for (;;) {
      if (i == n) {
        if (!eof) need_more = true;
        break;
      }
      const void* nl = std::memchr(d + i, '\n', n - i);
      if (nl == nullptr && !eof) {
        need_more = true;
        break;
      }
      const std::size_t end = nl ? static_cast<const char*>(nl) - d : n;
      const std::string_view text = strip_cr(d, i, end);
      i = nl ? end + 1 : n;
      if (text.empty()) {
        ++line;
        terminated = true;
        break;
      }
      physical_.push_back({static_cast<std::size_t>(text.data() - d),
                           static_cast<std::size_t>(text.data() - d) + text.size(), line});
      if (nl) ++line;
    }
    if (need_more) {
      if (n - pos_ > kMaxRecordBytes) throw_at(name_, line_, "record is larger than 64 MiB");
      buffer_.refill(pos_);
      pos_ = 0;
      continue;
    }
    // A change file may be growing: a record counts only once the blank line after it is there.
    if (!terminated && stop_at_unterminated_) return false;

    record.lines.clear();
    record.line = line_;
    record.offset = buffer_.base() + pos_;
    in_comment = false;
    uint64_t logical_line = 0;
    pieces_.clear();
    auto flush = [&] {
      if (pieces_.empty()) return;
      std::string_view text = pieces_[0];
      if (pieces_.size() > 1) {
        std::size_t total = 0;
        for (auto p : pieces_) total += p.size();
        char* out = arena.allocate(total);
        std::size_t w = 0;
        for (auto p : pieces_) {
          std::memcpy(out + w, p.data(), p.size());
          w += p.size();
        }
        text = std::string_view(out, total);
      }
      parse_logical(text, logical_line, record, arena);
      pieces_.clear();
    };
    for (const Physical& p : physical_) {
      const std::string_view text(d + p.begin, p.end - p.begin);
      if (text[0] == '#') {
        flush();
        in_comment = true;
      } else if (text[0] == ' ') {
        if (in_comment) continue;
        if (pieces_.empty())
          throw_at(name_, p.line,
                   "continuation line (starting with a space) with no line to continue");
        pieces_.push_back(text.substr(1));
      } else {
        flush();
        in_comment = false;
        pieces_.push_back(text);
        logical_line = p.line;
      }
    }
    flush();
    pos_ = i;
    line_ = line;
    if (record.lines.empty()) continue;  // only comments
    return true;
  }
}

void LdifLexer::parse_logical(std::string_view text, uint64_t line, LdifRecordText& record,
                              Arena& arena) {
  LdifLine out;
  out.line = line;
  if (text == "-") {
    out.kind = LdifLine::Kind::separator;
    record.lines.push_back(out);
    return;
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0)
    throw_at(name_, line, "malformed line: expected \"attribute: value\"");
  out.name = text.substr(0, colon);
  for (char c : out.name)
    if (!is_name_char(c))
      throw_at(name_, line, "malformed line: " + quoted(out.name) + " is not an attribute name");
  std::string_view rest = text.substr(colon + 1);
  if (!rest.empty() && rest[0] == ':') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (auto err = decode_base64(rest, arena, out.value))
      throw_at(name_, line,
               "bad base64 in the value of " + std::string(out.name) + ": " + err->reason +
                   " (at character " + std::to_string(err->position + 1) + ")");
    out.base64 = true;
    out.binary = !is_valid_utf8(out.value);
  } else if (!rest.empty() && rest[0] == '<') {
    throw_at(
        name_, line,
        "URL values (\"" + std::string(out.name) + ":< ...\") are not supported; inline the value");
  } else {
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    const std::size_t bad = find_invalid_utf8(rest);
    if (bad != std::string_view::npos)
      throw_at(name_, line,
               "invalid UTF-8 in the value of " + std::string(out.name) +
                   " (write binary values as \"" + std::string(out.name) + ":: base64\")");
    out.value = rest;
  }
  record.lines.push_back(out);
}

}  // namespace idsync::file
