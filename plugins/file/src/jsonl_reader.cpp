#include "jsonl_reader.hpp"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <cstring>

#include "change_type.hpp"
#include "source_error.hpp"
#include "utf8.hpp"

namespace idsync::file {
namespace {

namespace json = boost::json;

enum class Kind : unsigned char { string, integer, boolean, fraction, null };

// One top-level key with its values, as the SAX events deliver them.
struct Entry {
  std::string_view key;
  std::vector<std::string_view> values;
  std::vector<Kind> kinds;
  bool array = false;
  bool null = false;
};

// Receives the SAX events of one line. Anything outside "an object of scalars and arrays of
// scalars" stops the parse with `problem` set; the reader reports it at the parser's position.
struct Handler {
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  Arena* arena = nullptr;
  std::vector<Entry>* entries = nullptr;
  std::size_t count = 0;  // entries in use (the vector's slots are reused)
  int depth = 0;
  std::string part;  // pieces of a key, string or number split across events
  std::string problem;

  bool stop(std::string message, json::error_code& ec) {
    problem = std::move(message);
    ec = json::error::extra_data;  // any error code: `problem` says what happened
    return false;
  }
  std::string_view keep(std::string_view last) {
    if (part.empty()) return arena->copy(last);
    part.append(last);
    std::string_view v = arena->copy(part);
    part.clear();
    return v;
  }
  bool value(std::string_view text, Kind kind, json::error_code& ec) {
    if (depth == 0) return stop("expected a JSON object", ec);
    Entry& e = (*entries)[count - 1];
    if (kind == Kind::null) {
      if (depth == 2) return stop("null inside the array of " + quoted(e.key), ec);
      e.null = true;
      return true;
    }
    e.values.push_back(text);
    e.kinds.push_back(kind);
    return true;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code& ec) {
    if (depth != 0)
      return stop(
          "nested objects are not supported (key " + quoted((*entries)[count - 1].key) + ")", ec);
    depth = 1;
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    depth = 0;
    return true;
  }
  bool on_array_begin(json::error_code& ec) {
    if (depth == 0) return stop("expected a JSON object, found an array", ec);
    if (depth == 2)
      return stop("nested arrays are not supported (key " + quoted((*entries)[count - 1].key) + ")",
                  ec);
    (*entries)[count - 1].array = true;
    depth = 2;
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    depth = 1;
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    part.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (count == entries->size()) entries->emplace_back();
    Entry& e = (*entries)[count++];
    e.key = keep({s.data(), s.size()});
    e.values.clear();
    e.kinds.clear();
    e.array = e.null = false;
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    part.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    return value(keep({s.data(), s.size()}), Kind::string, ec);
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    part.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t, json::string_view s, json::error_code& ec) {
    return value(keep({s.data(), s.size()}), Kind::integer, ec);
  }
  bool on_uint64(uint64_t, json::string_view s, json::error_code& ec) {
    // Above INT64_MAX: not an IDSYNC_VALUE_INTEGER, so it travels as text.
    return value(keep({s.data(), s.size()}), Kind::fraction, ec);
  }
  bool on_double(double, json::string_view s, json::error_code& ec) {
    return value(keep({s.data(), s.size()}), Kind::fraction, ec);
  }
  bool on_bool(bool b, json::error_code& ec) {
    return value(b ? "true" : "false", Kind::boolean, ec);
  }
  bool on_null(json::error_code& ec) { return value({}, Kind::null, ec); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

struct JsonlReader::Parser {
  std::vector<Entry> entries;
  json::basic_parser<Handler> parser{json::parse_options{}};
};

JsonlReader::JsonlReader(const InputFile& file, const FormatOptions& options, const ReadMode& mode)
    : options_(options),
      mode_(mode),
      buffer_(file),
      name_(display_name(file.path())),
      parser_(std::make_unique<Parser>()) {}

JsonlReader::~JsonlReader() = default;

void JsonlReader::seek(const Position& position) {
  buffer_.seek(position.offset);
  pos_ = 0;
  line_ = position.line;
}

bool JsonlReader::next(Record& record) {
  for (;;) {
    const char* d = buffer_.data();
    const std::size_t n = buffer_.size();
    const void* nl = pos_ < n ? std::memchr(d + pos_, '\n', n - pos_) : nullptr;
    if (nl == nullptr && !buffer_.at_eof()) {
      if (n - pos_ > kMaxRecordBytes) throw_at(name_, line_, "line is longer than 64 MiB");
      buffer_.refill(pos_);
      pos_ = 0;
      continue;
    }
    if (nl == nullptr && pos_ == n) return false;
    if (nl == nullptr && mode_.stop_at_unterminated) return false;  // still being written
    const std::size_t end = nl ? static_cast<const char*>(nl) - d : n;
    std::string_view text(d + pos_, end - pos_);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    const uint64_t line = line_;
    const uint64_t offset = buffer_.base() + pos_;
    pos_ = nl ? end + 1 : n;
    if (nl) ++line_;
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;

    const std::size_t bad = find_invalid_utf8(text);
    if (bad != std::string_view::npos) throw_at(name_, line, bad + 1, "invalid UTF-8");
    record.clear();
    record.line = line;
    record.offset = offset;
    Handler& h = parser_->parser.handler();
    h.arena = &record.arena;
    h.entries = &parser_->entries;
    h.count = 0;
    h.depth = 0;
    h.part.clear();
    h.problem.clear();
    parser_->parser.reset();
    json::error_code ec;
    const std::size_t used = parser_->parser.write_some(false, text.data(), text.size(), ec);
    if (ec) {
      const std::string what = h.problem.empty() ? "bad JSON: " + ec.message() : h.problem;
      throw_at(name_, line, std::min(used, text.size()) + 1, what);
    }
    if (!parser_->parser.done() || text.find_first_not_of(" \t", used) != std::string_view::npos)
      throw_at(name_, line, used + 1, "unexpected text after the JSON object");
    map(record, line);
    return true;
  }
}

void JsonlReader::map(Record& record, uint64_t line) {
  std::vector<Entry>& entries = parser_->entries;
  const std::size_t count = parser_->parser.handler().count;

  // Duplicate keys: sort views of the keys and look at neighbours.
  {
    std::vector<std::string_view> keys;
    keys.reserve(count);
    for (std::size_t k = 0; k < count; ++k) keys.push_back(entries[k].key);
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 1; k < keys.size(); ++k)
      if (keys[k] == keys[k - 1]) throw_at(name_, line, "duplicate key " + quoted(keys[k]));
  }
  auto single_text = [&](const Entry& e, bool allow_integer) -> std::string_view {
    const bool ok = !e.array && !e.null && e.values.size() == 1 &&
                    (e.kinds[0] == Kind::string || (allow_integer && e.kinds[0] == Kind::integer));
    if (!ok)
      throw_at(
          name_, line,
          quoted(e.key) + " must be a single " + (allow_integer ? "string or integer" : "string"));
    return e.values[0];
  };

  record.object_type = options_.object_type;
  std::string_view change_text, type_text;
  bool has_change = false;
  const Entry* anchor_entry = nullptr;
  for (std::size_t k = 0; k < count; ++k) {
    const Entry& e = entries[k];
    if (e.key == "_dn") {
      record.dn = single_text(e, false);
    } else if (e.key == "_object_type") {
      type_text = single_text(e, false);
    } else if (e.key == "_change") {
      change_text = single_text(e, false);
      has_change = true;
    } else if (e.key == options_.anchor) {
      anchor_entry = &e;
    }
  }
  if (type_text.empty() && !options_.object_type_column.empty())
    for (std::size_t k = 0; k < count; ++k)
      if (entries[k].key == options_.object_type_column && !entries[k].values.empty())
        type_text = entries[k].values.back();
  if (!type_text.empty()) record.object_type = type_text;

  if (has_change) {
    const auto change = parse_change_word(change_text);
    if (!change)
      throw_at(
          name_, line,
          "unknown _change " + quoted(change_text) + " (expected add, update, delete or state)");
    if (!mode_.change_records && *change != IDSYNC_CHANGE_STATE && *change != IDSYNC_CHANGE_ADD)
      throw_at(name_, line,
               "_change " + quoted(change_text) +
                   " is only allowed in a change file; this file holds full state");
    record.change = mode_.change_records ? *change : IDSYNC_CHANGE_STATE;
  }

  if (options_.anchor_is_dn()) {
    record.anchor = record.dn;
    if (record.anchor.empty()) throw_at(name_, line, "empty anchor (no \"_dn\")");
  } else {
    if (anchor_entry == nullptr)
      throw_at(name_, line, "no " + quoted(options_.anchor) + " key (the anchor)");
    record.anchor = single_text(*anchor_entry, true);
    if (record.anchor.empty())
      throw_at(name_, line, "empty anchor (key " + quoted(options_.anchor) + ")");
  }
  if (record.change == IDSYNC_CHANGE_DELETE) return;

  for (std::size_t k = 0; k < count; ++k) {
    const Entry& e = entries[k];
    if (e.key == "_dn" || e.key == "_object_type" || e.key == "_change") continue;
    if (!options_.wants_attribute(e.key)) continue;
    const bool empty = e.null || e.values.empty();
    if (empty && record.change != IDSYNC_CHANGE_UPDATE) continue;  // absent
    idsync_value_type type = IDSYNC_VALUE_STRING;
    if (!empty) {
      const bool all_int =
          std::all_of(e.kinds.begin(), e.kinds.end(), [](Kind x) { return x == Kind::integer; });
      const bool all_bool =
          std::all_of(e.kinds.begin(), e.kinds.end(), [](Kind x) { return x == Kind::boolean; });
      type = all_int ? IDSYNC_VALUE_INTEGER : all_bool ? IDSYNC_VALUE_BOOLEAN : IDSYNC_VALUE_STRING;
    }
    Attribute& a = record.add(e.key, type, IDSYNC_ATTR_REPLACE);
    a.values.assign(e.values.begin(), e.values.end());
  }
}

}  // namespace idsync::file
