#include "manifest/json_text.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>
#include <set>
#include <string>

#include "manifest/json_path.hpp"

namespace idsync::manifest {

namespace {

namespace json = boost::json;

// A basic_parser handler that builds nothing: it only follows where it is in the document so
// that a repeated key can be named by its path.
class DuplicateKeyFinder {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  explicit DuplicateKeyFinder(std::vector<Diagnostic>& problems) : problems_(problems) {}

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return open(false); }
  bool on_array_end(std::size_t, json::error_code&) { return close(); }
  bool on_object_begin(json::error_code&) { return open(true); }
  bool on_object_end(std::size_t, json::error_code&) { return close(); }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return scalar(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    Frame& top = stack_.back();
    if (!top.keys.insert(key_).second)
      problems_.push_back(
          {member_path(top.path, key_), "duplicate key; a key may appear only once in an object"});
    top.key = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return scalar(); }
  bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
  bool on_bool(bool, json::error_code&) { return scalar(); }
  bool on_null(json::error_code&) { return scalar(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  struct Frame {
    bool is_object = false;
    std::string path;
    std::set<std::string> keys;
    std::string key;        // objects: the key of the value being read
    std::size_t index = 0;  // arrays: the index of the next element
  };

  // The path of the value that starts now, advancing the array index.
  std::string next_path() {
    if (stack_.empty()) return {};
    Frame& top = stack_.back();
    return top.is_object ? member_path(top.path, top.key) : index_path(top.path, top.index++);
  }
  bool open(bool is_object) {
    Frame f;
    f.is_object = is_object;
    f.path = next_path();
    stack_.push_back(std::move(f));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }
  bool scalar() {
    if (!stack_.empty() && !stack_.back().is_object) ++stack_.back().index;
    return true;
  }

  std::vector<Diagnostic>& problems_;
  std::vector<Frame> stack_;
  std::string key_;
};

// Boost's messages are terse ("syntax error"); these say what an admin usually did wrong.
std::string explain(const json::error_code& ec) {
  if (ec == json::error::syntax)
    return "syntax error (look for a missing comma, colon or quote, or a comma before } or ])";
  if (ec == json::error::incomplete) return "unexpected end of file (an unclosed {, [ or \")";
  if (ec == json::error::extra_data) return "unexpected text after the end of the JSON document";
  if (ec == json::error::too_deep) return "nested too deeply";
  return ec.message();
}

// 1-based line and column of byte `offset`; columns count UTF-8 characters, not bytes.
Diagnostic at_offset(std::string_view text, std::size_t offset, std::string message) {
  Diagnostic d;
  d.line = 1;
  d.column = 1;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++d.line;
      d.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++d.column;
    }
  }
  d.message = std::move(message);
  return d;
}

}  // namespace

std::optional<boost::json::value> parse_json_text(std::string_view text,
                                                  std::vector<Diagnostic>& problems) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());

  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    problems.push_back(at_offset(text, 0, "invalid JSON: the file is empty"));
    return std::nullopt;
  }

  // Pass 1 finds syntax errors with their offset and repeated keys; pass 2 builds the value.
  // Manifests are small, so reading twice costs nothing worth a hand-built value stack.
  std::vector<Diagnostic> duplicates;
  json::basic_parser<DuplicateKeyFinder> finder(json::parse_options{}, duplicates);
  json::error_code ec;
  const std::size_t consumed = finder.write_some(false, text.data(), text.size(), ec);
  // A complete document followed by more text is not an error to basic_parser: it stops there.
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (ec) {
    problems.push_back(at_offset(text, consumed, "invalid JSON: " + explain(ec)));
    return std::nullopt;
  }

  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) {  // cannot happen after pass 1 accepted the text; kept so a bug is not silent
    problems.push_back(at_offset(text, 0, "invalid JSON: " + explain(ec)));
    return std::nullopt;
  }
  problems.insert(problems.end(), duplicates.begin(), duplicates.end());
  return value;
}

}  // namespace idsync::manifest
