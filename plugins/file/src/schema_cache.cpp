#include "schema_cache.hpp"

#include <charconv>
#include <fstream>
#include <iterator>

#include "atomic_writer.hpp"

namespace idsync::file {
namespace {

constexpr std::string_view kMagic = "idsync-file-schema/1";

std::string cache_path(const std::string& state_dir) { return state_dir + "/schema.cache"; }

// Reads the text after `pos` as the parser needs it; every read fails cleanly at the end.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool word(std::string_view& out) {
    skip(' ');
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ' ' && text_[pos_] != '\n') ++pos_;
    out = text_.substr(start, pos_ - start);
    return !out.empty();
  }
  bool number(uint64_t& out, int base = 10) {
    std::string_view w;
    if (!word(w)) return false;
    const auto r = std::from_chars(w.data(), w.data() + w.size(), out, base);
    return r.ec == std::errc() && r.ptr == w.data() + w.size();
  }
  // A length-prefixed name: "<length> <bytes>".
  bool name(std::string& out) {
    uint64_t length = 0;
    if (!number(length) || pos_ >= text_.size() || text_[pos_] != ' ') return false;
    ++pos_;
    if (length > text_.size() - pos_) return false;
    out.assign(text_.substr(pos_, length));
    pos_ += length;
    return true;
  }
  bool end_of_line() {
    if (pos_ >= text_.size() || text_[pos_] != '\n') return false;
    ++pos_;
    return true;
  }
  bool done() const { return pos_ >= text_.size(); }

 private:
  void skip(char c) {
    while (pos_ < text_.size() && text_[pos_] == c) ++pos_;
  }
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<DiscoveredSchema> load_schema_cache(const std::string& state_dir,
                                                  const FormatOptions& options,
                                                  uint64_t fingerprint,
                                                  const FileIdentity& version) {
  if (state_dir.empty()) return std::nullopt;
  std::ifstream in(cache_path(state_dir), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Cursor c(text);
  std::string_view magic;
  FileIdentity then;
  uint64_t cfg = 0;
  if (!c.word(magic) || magic != kMagic || !c.number(cfg, 16) || !c.number(then.device) ||
      !c.number(then.inode) || !c.number(then.size) || !c.number(then.mtime_ns) || !c.end_of_line())
    return std::nullopt;
  if (cfg != fingerprint || !then.same_version(version)) return std::nullopt;
  DiscoveredSchema schema(options);
  while (!c.done()) {
    std::string_view kind;
    if (!c.word(kind)) return std::nullopt;
    if (kind == "a") {
      uint64_t type = 0, multi = 0;
      DiscoveredAttribute a;
      if (!c.number(type) || !c.number(multi) || multi > 1 || !c.name(a.name) || !c.end_of_line())
        return std::nullopt;
      a.type = static_cast<idsync_value_type>(type);
      a.multivalued = multi == 1;
      schema.restore(a);
    } else if (kind == "t") {
      std::string type;
      if (!c.name(type) || !c.end_of_line()) return std::nullopt;
      schema.restore_object_type(type);
    } else {
      return std::nullopt;
    }
  }
  return schema;
}

void save_schema_cache(const std::string& state_dir, uint64_t fingerprint,
                       const FileIdentity& version, const DiscoveredSchema& schema) {
  if (state_dir.empty()) return;
  char cfg[17];
  const auto end = std::to_chars(cfg, cfg + sizeof cfg, fingerprint, 16).ptr;
  std::string text(kMagic);
  text += ' ';
  text.append(cfg, end);
  for (uint64_t v : {version.device, version.inode, version.size, version.mtime_ns})
    text += ' ' + std::to_string(v);
  text += '\n';
  for (const DiscoveredAttribute& a : schema.attributes())
    text += "a " + std::to_string(a.type) + ' ' + (a.multivalued ? '1' : '0') + ' ' +
            std::to_string(a.name.size()) + ' ' + a.name + '\n';
  for (const std::string& t : schema.object_types())
    text += "t " + std::to_string(t.size()) + ' ' + t + '\n';
  try {
    AtomicWriter out(cache_path(state_dir));
    out.write(text);
    out.commit();
  } catch (const std::exception&) {
    // Only a later rediscovery is lost.
  }
}

}  // namespace idsync::file
