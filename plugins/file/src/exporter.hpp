// Export: the export file stands for the target system.
//
// A batch is applied in one pass over the current export file: each existing object is read
// (with the same checks as an import), the batch's operations on its anchor are applied in
// batch order, and the result is written to a new file that replaces the old one atomically
// (AtomicWriter). Objects the batch adds are appended at the end. Memory holds the batch, one
// object at a time and a compact anchor set, not the file.
//
// Per operation (exactly one result each; a failed operation does not fail the batch):
//   ADD     ALREADY_EXISTS when the anchor exists. Without an anchor one is assigned (a random
//           UUID; the DN when the DN is the anchor) and reported in the result.
//   UPDATE  UNKNOWN_OBJECT when the anchor does not exist. Attribute entries apply by their op;
//           new_dn renames. Changing the anchor attribute is INVALID_VALUE.
//   DELETE  UNKNOWN_OBJECT when the anchor does not exist.
//   Any op whose result the format cannot store faithfully: INVALID_VALUE, object unchanged.
// Several operations on one anchor in one batch see each other's effects, in batch order.
// Results are only returned once the new file is in place; when the batch as a whole fails
// (unreadable export file, disk full) an exception carries the reason and no result is returned.
//
// Appending: rewriting the whole file for every batch would make an export of N new objects
// cost N^2/batch. So a full pass also fills an ExportIndex (the anchors it wrote, as hashes,
// and the file's identity after the rewrite), and a later batch of the same export that only
// adds objects the file does not have, while nobody else has touched the file, is appended to
// its end instead (try_append), under an AppendJournal. Anything else takes the full pass.
#pragma once

#include <cstdint>
#include <functional>
#include <idsync/sdk.hpp>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "export_op.hpp"
#include "file_identity.hpp"
#include "format_options.hpp"

namespace idsync::file {

// What a connector instance knows of its export file between batches (see above).
struct ExportIndex {
  std::optional<FileIdentity> identity;  // after the last write; unset: nothing known
  std::unordered_set<uint64_t> anchors;  // anchor_hash of every object in the file
  std::vector<std::string> columns;      // CSV: the file's header
};

class Exporter {
 public:
  // `scratch_dir`: where the duplicate-anchor check may spill (empty: $TMPDIR).
  Exporter(const FormatOptions& options, std::string export_path, std::string scratch_dir);

  // Applies the batch and replaces the export file. `cancelled` is polled while the file is
  // streamed; when it says yes, sdk::Stopped is thrown and the export file is left as it was.
  // With `index`, the pass fills it for try_append.
  std::vector<ExportResult> run(const std::vector<sdk::ExportOp>& ops,
                                const std::function<bool()>& cancelled,
                                ExportIndex* index = nullptr);

  // Appends the batch when it qualifies (see above) and returns its results; nullopt, with
  // nothing changed, when it does not. Throws like run() when the append itself fails (the
  // journal then cuts the file back at the next call).
  std::optional<std::vector<ExportResult>> try_append(const std::vector<sdk::ExportOp>& ops,
                                                      ExportIndex& index);

 private:
  FormatOptions options_;
  std::string path_;
  std::string scratch_dir_;
};

}  // namespace idsync::file
