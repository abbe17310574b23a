#include "plugin_host/host_log.hpp"

#include <iostream>
#include <mutex>
#include <string>

#ifndef IDSYNC_HOST_VERSION
#define IDSYNC_HOST_VERSION "unknown"
#endif

namespace idsync::plugin_host {

namespace {

struct PluginLog {
  std::mutex mutex;
  LogFn sink;
};

// Leaked on purpose: plugins may log from their own static destructors at exit, after the
// host's statics would have been destroyed.
PluginLog& plugin_log() {
  static PluginLog* log = new PluginLog;
  return *log;
}

const char* level_name(int32_t level) {
  switch (level) {
    case IDSYNC_LOG_TRACE:
      return "trace";
    case IDSYNC_LOG_DEBUG:
      return "debug";
    case IDSYNC_LOG_INFO:
      return "info";
    case IDSYNC_LOG_WARN:
      return "warn";
    default:
      return "error";
  }
}

// What host_ctx points to: the plugin's name, for tagging its lines.
struct LogContext {
  std::string plugin_name;
  idsync_host_info info{};
};

void log_from_plugin(void* host_ctx, int32_t level, idsync_str message) {
  const auto* ctx = static_cast<const LogContext*>(host_ctx);
  std::string line = "[" + ctx->plugin_name + "] ";
  if (message.ptr != nullptr) line.append(message.ptr, message.len);
  PluginLog& log = plugin_log();
  std::lock_guard lock(log.mutex);
  if (log.sink)
    log.sink(level, line);
  else if (level >= IDSYNC_LOG_INFO)
    std::cerr << "idsync " << level_name(level) << ": " << line << '\n';
}

}  // namespace

void set_plugin_log(LogFn sink) {
  PluginLog& log = plugin_log();
  std::lock_guard lock(log.mutex);
  log.sink = std::move(sink);
}

const idsync_host_info* host_info_for(const std::string& plugin_name) {
  // Leaked on purpose: the ABI promises the pointer stays valid for the life of the process.
  auto* ctx = new LogContext{plugin_name, {}};
  ctx->info.struct_size = sizeof(idsync_host_info);
  ctx->info.abi_major = IDSYNC_ABI_MAJOR;
  ctx->info.abi_minor = IDSYNC_ABI_MINOR;
  ctx->info.host_version = IDSYNC_HOST_VERSION;
  ctx->info.host_ctx = ctx;
  ctx->info.log = &log_from_plugin;
  return &ctx->info;
}

}  // namespace idsync::plugin_host
