// Export in append mode (export_mode append): a batch's operations are appended to the change
// file as change records (change_writer.hpp), under an AppendJournal, and fsynced before any
// result is reported. A batch costs in proportion to its own size: the state file at `path` is
// neither read nor written. A full import first folds the change file into it
// (change_fold.hpp), and a Delta import reads the appended records back, which confirms them.
//
// Per operation, the checks that need nothing of the target's contents: an anchor, an anchor
// attribute left as it is, no rename where the DN is the anchor, and values the format can
// hold; a failure is INVALID_VALUE and writes nothing for that operation. Whether the anchor
// exists is not checked here, since that would take the target's whole state: the host adds
// only what its connector space lacks and updates only what it holds. A record that does not
// apply when it is folded (an add of an anchor the state file has) is reported then, as a
// warning naming its change-file line.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "export_op.hpp"
#include "format_options.hpp"

namespace idsync::file {

class AppendExporter {
 public:
  // `state_dir` holds the append journal. The format must have a change writer (not CSV).
  AppendExporter(const FormatOptions& options, std::string change_file, std::string state_dir);

  // Appends the batch and returns one result per operation. Throws std::runtime_error when the
  // file cannot be written; the journal then cuts it back at the next export or import.
  std::vector<ExportResult> run(const std::vector<sdk::ExportOp>& ops);

 private:
  FormatOptions options_;
  std::string path_;
  std::string state_dir_;
};

}  // namespace idsync::file
