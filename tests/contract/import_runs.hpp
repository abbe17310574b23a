// Running one import against a recording sink, and the checks every complete import must pass.
#pragma once

#include <idsync/plugin_abi.h>

#include <memory>
#include <string>
#include <vector>

#include "contract/instance.hpp"
#include "contract/recording_diag.hpp"
#include "contract/recording_import_sink.hpp"

namespace idsync::contract {

struct ImportRun {
  idsync_status status = IDSYNC_ERROR;
  // Heap-held: the plugin was given their addresses.
  std::unique_ptr<RecordingImportSink> sink;
  std::unique_ptr<RecordingDiag> diag;

  // "full import (page size 2)": what to call this run in messages.
  std::string label;
};

// Runs the import and CHECKs the hook status contract; asserts nothing else.
ImportRun run_import(Instance& instance, RecordingImportSink::Options options,
                     const std::string& checkpoint = {}, const std::string& watermark = {});

// REQUIREs what a finished import must show: status OK, no protocol breach, exactly one
// import_end, nothing pushed after the last commit. Returns everything committed.
std::vector<ImportedObject> require_complete(const ImportRun& run);

// A full import with `page_size`, required to complete.
std::vector<ImportedObject> complete_full_import(Instance& instance, uint32_t page_size,
                                                 ImportRun* keep = nullptr);

}  // namespace idsync::contract
