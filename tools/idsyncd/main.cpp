// idsyncd: the idsync host daemon (control/daemon.hpp says what it does).
//
//   idsyncd --manifest /etc/idsync/idsync.json
//
// Logs go where the manifest's log section says (standard error by default, which systemd's
// journal collects), at its level, as text or JSON lines (common/log_lines.hpp).
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/log_lines.hpp"
#include "control/daemon.hpp"
#include "manifest/manifest.hpp"
#include "version.hpp"

namespace {

// The manifest's log settings, read before the daemon starts; a manifest that does not load
// leaves the defaults, and the daemon then reports its problems.
void set_up_logging(const std::filesystem::path& manifest_file) {
  spdlog::level::level_enum level = spdlog::level::info;
  std::optional<std::filesystem::path> file;
  auto format = idsync::common::LogLineFormat::kText;
  try {
    const auto m = idsync::manifest::load_manifest(manifest_file);
    level =
        static_cast<spdlog::level::level_enum>(static_cast<int>(m.log.level) - IDSYNC_LOG_TRACE);
    file = m.log.file;
    if (m.log.format == idsync::manifest::LogFormat::kJson)
      format = idsync::common::LogLineFormat::kJson;
  } catch (const std::exception&) {
  }
  std::shared_ptr<spdlog::logger> logger;
  if (file) {
    std::filesystem::create_directories(file->parent_path());
    logger = spdlog::basic_logger_mt("idsyncd", file->string());
  } else {
    logger = spdlog::stderr_logger_mt("idsyncd");
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  logger->set_formatter(idsync::common::make_log_formatter(format));
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"idsyncd: the idsync host daemon (scheduler and control socket)"};
  app.set_version_flag("--version", std::string("idsyncd ") + IDSYNC_VERSION);
  idsync::control::DaemonOptions options;
  std::string manifest;
  app.add_option("--manifest", manifest,
                 "Host manifest (default: $IDSYNC_MANIFEST, then /etc/idsync/idsync.json)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (manifest.empty())
    if (const char* env = std::getenv("IDSYNC_MANIFEST")) manifest = env;
  options.manifest = manifest.empty() ? "/etc/idsync/idsync.json" : manifest;
  try {
    set_up_logging(options.manifest);
    return idsync::control::run_daemon(options);
  } catch (const std::exception& e) {
    std::cerr << "idsyncd: " << e.what() << "\n";
    return 1;
  }
}
