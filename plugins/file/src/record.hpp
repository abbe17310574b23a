// The in-memory form of one imported object, shared by the three readers. Every string is a
// view: into the reader's input buffer, or into the record's arena when the bytes had to be
// rewritten (escapes, base64, folded lines). A record is valid until the reader that filled it
// reads the next one.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "arena.hpp"

namespace idsync::file {

// Where a reader stands in its file: the byte offset of the next unread byte and the 1-based
// line number that byte is on. Checkpoints and watermarks are built from it.
struct Position {
  uint64_t offset = 0;
  uint64_t line = 1;
  bool operator==(const Position&) const = default;
};

struct Attribute {
  std::string_view name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  idsync_attr_op op = IDSYNC_ATTR_REPLACE;
  std::vector<std::string_view> values;
};

class Record {
 public:
  idsync_change change = IDSYNC_CHANGE_STATE;
  std::string_view object_type;
  std::string_view anchor;
  std::string_view dn;
  // Where the record starts, for messages ("people.csv:17: ...") and for checkpoints.
  uint64_t line = 0;
  uint64_t offset = 0;
  Arena arena;

  // Empties the record while keeping the attribute slots and their value vectors, so that
  // reading a million rows does not allocate a million vectors.
  void clear() {
    change = IDSYNC_CHANGE_STATE;
    object_type = anchor = dn = {};
    line = offset = 0;
    count_ = 0;
    arena.reset();
  }

  Attribute& add(std::string_view name, idsync_value_type type = IDSYNC_VALUE_STRING,
                 idsync_attr_op op = IDSYNC_ATTR_REPLACE) {
    if (count_ == slots_.size()) slots_.emplace_back();
    Attribute& a = slots_[count_++];
    a.name = name;
    a.type = type;
    a.op = op;
    a.values.clear();
    return a;
  }
  // Drops the attribute added last (a reader that found it empty after all).
  void drop_last() {
    if (count_ > 0) --count_;
  }

  std::span<Attribute> attributes() { return {slots_.data(), count_}; }
  std::span<const Attribute> attributes() const { return {slots_.data(), count_}; }

 private:
  std::vector<Attribute> slots_;
  std::size_t count_ = 0;
};

}  // namespace idsync::file
