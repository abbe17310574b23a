#include "contract/recording_bytes_sink.hpp"

#include "contract/text.hpp"

namespace idsync::contract {

RecordingBytesSink::RecordingBytesSink()
    : sink_{sizeof(idsync_bytes_sink), this, &RecordingBytesSink::on_write} {}

void RecordingBytesSink::on_write(void* ctx, idsync_bytes data) {
  auto* self = static_cast<RecordingBytesSink*>(ctx);
  if (data.ptr == nullptr && data.len != 0) {
    self->violations_.push_back("write with a NULL pointer and length " + std::to_string(data.len));
    return;
  }
  self->writes_.emplace_back(view(data));
}

}  // namespace idsync::contract
