#include "common/diag_collector.hpp"

#include <spdlog/spdlog.h>

namespace idsync::common {

DiagCollector::DiagCollector(std::string source) : source_(std::move(source)) {
  diag_ =
      idsync_diag{sizeof(idsync_diag), this, &DiagCollector::on_set_error, &DiagCollector::on_log};
}

void DiagCollector::clear() {
  has_error_ = false;
  kind_ = IDSYNC_ERR_NONE;
  message_.clear();
}

void DiagCollector::set(idsync_error_kind kind, std::string message) {
  has_error_ = true;
  kind_ = kind;
  message_ = std::move(message);
}

void DiagCollector::on_set_error(void* ctx, idsync_error_kind kind, idsync_str message) {
  auto* self = static_cast<DiagCollector*>(ctx);
  self->set(kind, message.len ? std::string(message.ptr, message.len) : std::string());
}

void DiagCollector::on_log(void* ctx, int32_t level, idsync_str message) {
  auto* self = static_cast<DiagCollector*>(ctx);
  const std::string_view text(message.len ? message.ptr : "", message.len);
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case IDSYNC_LOG_TRACE:
      l = spdlog::level::trace;
      break;
    case IDSYNC_LOG_DEBUG:
      l = spdlog::level::debug;
      break;
    case IDSYNC_LOG_INFO:
      l = spdlog::level::info;
      break;
    case IDSYNC_LOG_WARN:
      l = spdlog::level::warn;
      break;
    default:
      l = spdlog::level::err;
      break;
  }
  spdlog::log(l, "[{}] {}", self->source_, text);
}

}  // namespace idsync::common
