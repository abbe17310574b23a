// The kit's idsync_import_sink: copies everything a connector pushes, page by page, and records
// every breach of the import protocol (plugin_abi.h, Import) as a violation.
#pragma once

#include <idsync/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contract/import_model.hpp"

namespace idsync::contract {

enum class ImportKind { full, delta };

struct ImportPage {
  std::vector<ImportedObject> objects;
  std::string checkpoint;
};

struct ImportEnd {
  uint32_t all_results_returned = 0;
  std::string watermark;
};

class RecordingImportSink {
 public:
  struct Options {
    ImportKind kind = ImportKind::full;
    uint32_t page_size = 1000;
    // page_end returns IDSYNC_STOP for this page (1-based) and every later call is a breach;
    // 0: never.
    std::size_t stop_after_page = 0;
    // is_cancelled answers nonzero from the start and every page_end returns IDSYNC_STOP, as
    // the host's sink does once an admin cancelled the run.
    bool cancelled = false;
  };

  explicit RecordingImportSink(Options options);
  // The plugin keeps host_ctx = this for the duration of the hook: never move or copy.
  RecordingImportSink(const RecordingImportSink&) = delete;
  RecordingImportSink& operator=(const RecordingImportSink&) = delete;

  const idsync_import_sink* get() const { return &sink_; }
  const Options& options() const { return options_; }

  // Pages committed by page_end, in order.
  const std::vector<ImportPage>& pages() const { return pages_; }
  // Objects committed by import_end after the last page_end (the final page).
  const std::vector<ImportedObject>& final_page() const { return final_page_; }
  // Objects pushed after the last commit: the host discards them.
  const std::vector<ImportedObject>& uncommitted() const { return open_page_; }
  // Everything committed, in push order.
  std::vector<ImportedObject> committed() const;

  int import_end_calls() const { return import_end_calls_; }
  const std::optional<ImportEnd>& end() const { return end_; }
  // page_end or the cancellation answered IDSYNC_STOP.
  bool stop_sent() const { return stop_sent_; }
  int is_cancelled_calls() const { return is_cancelled_calls_; }

  // Protocol breaches in the order they happened, each naming the call and the object.
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  static idsync_status on_object_begin(void* ctx, const idsync_object_header* header);
  static idsync_status on_attribute(void* ctx, const idsync_attr* attr);
  static idsync_status on_object_end(void* ctx);
  static idsync_status on_page_end(void* ctx, idsync_bytes checkpoint);
  static idsync_status on_import_end(void* ctx, uint32_t all_results_returned,
                                     idsync_bytes watermark);
  static int32_t on_is_cancelled(void* ctx);

  // Records a breach and answers IDSYNC_ERROR, as the host's sink does; the plugin must then
  // return that status from its hook.
  idsync_status breach(std::string message);
  // Calls the plugin should not have made any more (after a breach, after import_end, after
  // STOP): records why and returns the answer; nothing when the call may proceed.
  std::optional<idsync_status> refuse_late_call(const char* call);
  std::string where() const;

  Options options_;
  idsync_import_sink sink_;
  std::vector<ImportPage> pages_;
  std::vector<ImportedObject> open_page_;
  std::vector<ImportedObject> final_page_;
  std::optional<ImportedObject> current_;
  std::optional<ImportEnd> end_;
  int import_end_calls_ = 0;
  bool stop_sent_ = false;
  bool failed_ = false;
  bool ignored_error_reported_ = false;
  int is_cancelled_calls_ = 0;
  std::size_t objects_pushed_ = 0;
  std::vector<std::string> violations_;
};

}  // namespace idsync::contract
