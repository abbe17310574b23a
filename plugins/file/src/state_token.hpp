// The text form of checkpoints and watermarks: "idsync-file/1;key=value;key=value".
//
// Readable on purpose: the host stores these bytes opaquely, but an admin looking at a stuck
// import in the host's state or logs can see which file, offset and line it points at. A token
// that does not parse, or that another connector (or another operation) produced, is
// IDSYNC_ERR_PRECONDITION with `what` ("checkpoint"/"watermark") in the message.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace idsync::file {

class StateToken {
 public:
  StateToken() = default;
  // Parses; `what` names the token in messages.
  static StateToken parse(std::string_view text, std::string_view what);

  StateToken& set(const std::string& key, std::string value);
  StateToken& set_u64(const std::string& key, uint64_t value);
  StateToken& set_hex(const std::string& key, uint64_t value);

  bool has(const std::string& key) const { return fields_.count(key) != 0; }
  const std::string& get(const std::string& key) const;
  uint64_t get_u64(const std::string& key) const;
  uint64_t get_hex(const std::string& key) const;

  std::string text() const;

 private:
  [[noreturn]] void bad(const std::string& why) const;
  std::string what_ = "token";
  std::map<std::string, std::string> fields_;
};

}  // namespace idsync::file
