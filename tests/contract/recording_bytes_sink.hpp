// The kit's idsync_bytes_sink: keeps every write (current_watermark should write once).
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <vector>

namespace idsync::contract {

class RecordingBytesSink {
 public:
  RecordingBytesSink();
  // The plugin keeps host_ctx = this for the duration of the hook: never move or copy.
  RecordingBytesSink(const RecordingBytesSink&) = delete;
  RecordingBytesSink& operator=(const RecordingBytesSink&) = delete;

  const idsync_bytes_sink* get() const { return &sink_; }
  const std::vector<std::string>& writes() const { return writes_; }
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  static void on_write(void* ctx, idsync_bytes data);

  idsync_bytes_sink sink_;
  std::vector<std::string> writes_;
  std::vector<std::string> violations_;
};

}  // namespace idsync::contract
