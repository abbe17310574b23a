// The host's idsync_import_sink: copies what a connector pushes into ImportRecords, enforces
// the import contract (object_begin/attribute/object_end nesting, non-empty anchors, page
// sizes) and hands whole pages to the PageStager.
#pragma once

#include <idsync/plugin_abi.h>

#include <atomic>
#include <functional>
#include <string>

#include "common/diag_collector.hpp"
#include "importer/page_stager.hpp"

namespace idsync::importer {

using ProgressFn = std::function<void(const store::ImportCounters&)>;

class ImportSink {
 public:
  ImportSink(PageStager& stager, common::DiagCollector& diag, uint32_t page_size,
             const std::atomic<bool>* cancel, ProgressFn on_progress);

  const idsync_import_sink* sink() const { return &sink_; }
  bool ended() const { return ended_; }
  bool all_results_returned() const { return all_results_returned_; }
  // Most objects a connector may push without ending a page before the host stops it: the
  // bound on host memory per page.
  size_t page_limit() const { return page_limit_; }

 private:
  static idsync_status on_object_begin(void* ctx, const idsync_object_header* header);
  static idsync_status on_attribute(void* ctx, const idsync_attr* attr);
  static idsync_status on_object_end(void* ctx);
  static idsync_status on_page_end(void* ctx, idsync_bytes checkpoint);
  static idsync_status on_import_end(void* ctx, uint32_t all_results_returned,
                                     idsync_bytes watermark);
  static int32_t on_is_cancelled(void* ctx);

  idsync_status fail(idsync_error_kind kind, std::string message);
  bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }

  PageStager& stager_;
  common::DiagCollector& diag_;
  const std::atomic<bool>* cancel_;
  ProgressFn on_progress_;
  size_t page_limit_;
  idsync_import_sink sink_;
  ImportRecord current_;
  bool in_object_ = false;
  bool ended_ = false;
  bool failed_ = false;
  bool all_results_returned_ = false;
};

}  // namespace idsync::importer
