#include "import_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "hash.hpp"

namespace idsync::file {

void emit(sdk::ImportWriter& out, const Record& record, idsync_change change,
          std::string_view file_name, const FormatOptions& format) {
  // "people.csv:17": the host quotes it, e.g. when a full import repeats an anchor. Built
  // without printf: this runs for every record.
  char source[320];
  const size_t name_len = std::min<size_t>(file_name.size(), 256);
  std::memcpy(source, file_name.data(), name_len);
  source[name_len] = ':';
  const auto end = std::to_chars(source + name_len + 1, source + sizeof source, record.line).ptr;
  out.begin(change, record.object_type, record.anchor, record.dn,
            std::string_view(source, static_cast<size_t>(end - source)));
  if (change != IDSYNC_CHANGE_DELETE)
    for (const Attribute& a : record.attributes())
      out.attr(a.name, a.values,
               !format.reference_attributes.empty() && format.is_reference(a.name)
                   ? IDSYNC_VALUE_REFERENCE
                   : a.type,
               a.op);
  out.end();
}

void put_identity(StateToken& t, const FileIdentity& id) {
  t.set_u64("dev", id.device)
      .set_u64("ino", id.inode)
      .set_u64("size", id.size)
      .set_u64("mtime", id.mtime_ns);
}

FileIdentity get_identity(const StateToken& t) {
  FileIdentity id;
  id.device = t.get_u64("dev");
  id.inode = t.get_u64("ino");
  id.size = t.get_u64("size");
  id.mtime_ns = t.get_u64("mtime");
  return id;
}

void expect_token(const StateToken& t, std::string_view key, std::string_view value,
                  std::string_view what) {
  if (t.get(std::string(key)) != value)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     std::string(what) + " belongs to another operation (" + std::string(key) +
                         "=" + t.get(std::string(key)) + ", expected " + std::string(value) +
                         "); run a full import");
}

void expect_config(const StateToken& t, uint64_t fingerprint, std::string_view what) {
  if (t.get_hex("cfg") != fingerprint)
    throw sdk::Error(
        IDSYNC_ERR_PRECONDITION,
        "the configuration changed since the " + std::string(what) +
            " was made (path, format, anchor, columns or attributes); run a full import");
}

std::string SnapshotMark::text(uint64_t fingerprint) const {
  StateToken t;
  t.set("mode", "snapshot")
      .set_hex("cfg", fingerprint)
      .set_u64("gen", generation)
      .set_hex("nonce", nonce);
  return t.text();
}

SnapshotMark SnapshotMark::parse(std::string_view watermark, uint64_t fingerprint) {
  const StateToken t = StateToken::parse(watermark, "watermark");
  expect_token(t, "mode", "snapshot", "the watermark");
  expect_config(t, fingerprint, "watermark");
  return SnapshotMark{t.get_u64("gen"), t.get_hex("nonce")};
}

void ChangeFileMark::put(StateToken& t, const std::string& p) const {
  if (absent) {
    t.set(p + "absent", "1");
    return;
  }
  t.set_u64(p + "dev", device).set_u64(p + "ino", inode).set_u64(p + "off", position.offset);
  t.set_u64(p + "line", position.line).set_hex(p + "head", head);
}

ChangeFileMark ChangeFileMark::get(const StateToken& t, const std::string& p) {
  ChangeFileMark m;
  if (t.has(p + "absent")) return m;
  m.absent = false;
  m.device = t.get_u64(p + "dev");
  m.inode = t.get_u64(p + "ino");
  m.position = {t.get_u64(p + "off"), t.get_u64(p + "line")};
  m.head = t.get_hex(p + "head");
  return m;
}

std::string ChangeFileMark::text(uint64_t fingerprint) const {
  StateToken t;
  t.set("mode", "change_file").set_hex("cfg", fingerprint);
  put(t, "");
  return t.text();
}

ChangeFileMark ChangeFileMark::parse(std::string_view watermark, uint64_t fingerprint) {
  const StateToken t = StateToken::parse(watermark, "watermark");
  expect_token(t, "mode", "change_file", "the watermark");
  expect_config(t, fingerprint, "watermark");
  return get(t, "");
}

uint64_t head_hash(int fd, uint64_t length) {
  std::string buf(length < 4096 ? length : 4096, '\0');
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::pread(fd, buf.data() + got, buf.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  buf.resize(got);
  return hash64(buf, 0x68656164);
}

}  // namespace idsync::file
