// Pieces shared by the import operations: pushing a record to the host, paging, and the two
// watermark kinds.
#pragma once

#include <functional>
#include <idsync/sdk.hpp>
#include <optional>
#include <string>

#include "connector_options.hpp"
#include "file_identity.hpp"
#include "record.hpp"
#include "state_token.hpp"

namespace idsync::file {

// Pushes one record, with "<file_name>:<line>" as its source; the attributes `format` names
// as references go as IDSYNC_VALUE_REFERENCE. DELETE records carry no attributes (the ABI
// ignores them anyway).
void emit(sdk::ImportWriter& out, const Record& record, idsync_change change,
          std::string_view file_name, const FormatOptions& format);

// Counts objects and commits a page (with the checkpoint `make_checkpoint` builds) every
// page_size objects.
class Pager {
 public:
  Pager(sdk::ImportWriter& out, uint32_t page_size)
      : out_(out), page_size_(page_size ? page_size : 1) {}
  void emitted(const std::function<std::string()>& make_checkpoint) {
    if (++in_page_ < page_size_) return;
    out_.page(make_checkpoint());
    in_page_ = 0;
  }

 private:
  sdk::ImportWriter& out_;
  uint32_t page_size_;
  uint32_t in_page_ = 0;
};

// Throws sdk::Stopped when the host asks to stop. Cheap enough for every record, but only
// polled every 1024 records to keep the callback off the hot path.
inline void poll_cancel(sdk::ImportWriter& out, uint64_t& counter) {
  if ((++counter & 1023) == 0) out.throw_if_cancelled();
}

// Stores a file's identity in a token (keys dev, ino, size, mtime) and reads it back.
void put_identity(StateToken& t, const FileIdentity& id);
FileIdentity get_identity(const StateToken& t);

// Refuses a token made by another operation or under another configuration.
void expect_token(const StateToken& t, std::string_view key, std::string_view value,
                  std::string_view what);
void expect_config(const StateToken& t, uint64_t fingerprint, std::string_view what);

// Watermark of snapshot mode: "idsync-file/1;cfg=..;gen=..;mode=snapshot;nonce=..".
struct SnapshotMark {
  uint64_t generation = 0;
  uint64_t nonce = 0;
  std::string text(uint64_t fingerprint) const;
  static SnapshotMark parse(std::string_view watermark, uint64_t fingerprint);
};

// Watermark of change_file mode: how far the change file has been consumed.
// "idsync-file/1;cfg=..;dev=..;head=..;ino=..;line=..;mode=change_file;off=.." or, when the
// change file did not exist yet, "...;absent=1;mode=change_file". `head` hashes the first
// min(off, 4096) bytes, to notice a file truncated and rewritten in place.
struct ChangeFileMark {
  bool absent = true;
  uint64_t device = 0;
  uint64_t inode = 0;
  Position position;
  uint64_t head = 0;

  void put(StateToken& t, const std::string& prefix) const;
  static ChangeFileMark get(const StateToken& t, const std::string& prefix);
  std::string text(uint64_t fingerprint) const;
  static ChangeFileMark parse(std::string_view watermark, uint64_t fingerprint);
};

// Hash of the first min(length, 4096) bytes of an open file.
uint64_t head_hash(int fd, uint64_t length);

}  // namespace idsync::file
