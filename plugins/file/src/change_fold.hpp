// Folding the change file into the state file (export_mode append).
//
// In append mode the connector owns both files: exports append change records to `change_file`
// (append_exporter.hpp), and `path` holds the state as of the last fold. A full import folds
// first: the records appended since the last fold are applied to `path` through the rewrite
// exporter (exporter.hpp), in chunks of kFoldChunk records, so memory holds one chunk, never the
// file. A chunk of adds only is appended to `path` (no rewrite) once the first pass has indexed
// its anchors, which keeps folding a large first export linear.
//
// `state_dir/fold.mark` records how far the change file has been folded (the change-file
// watermark form, so a file replaced, truncated or rewritten since is noticed and refused with
// IDSYNC_ERR_PRECONDITION). It is written after each chunk's rewrite: a crash in between folds
// that chunk again, where its adds fail as already present and its other records apply again
// to the same result, so the state file ends the same.
//
// A record that does not apply (an update of an anchor the state lacks) leaves the state as it
// was and is reported through `warn`, naming the change-file line.
#pragma once

#include <functional>
#include <string>

#include "connector_options.hpp"
#include "import_support.hpp"

namespace idsync::file {

inline constexpr std::size_t kFoldChunk = 20000;

// Brings `path` up to date with `change_file` and returns the change file's end as folded (the
// watermark a full import that reads `path` next starts its Delta imports from). Creates an
// empty `path` when there is none. Throws sdk::Stopped when `cancelled` says so (what was folded
// stays folded), sdk::Error PRECONDITION when the mark does not match the change file. The
// caller has cut back an interrupted append to the change file first (append_journal.hpp).
ChangeFileMark fold_change_file(const ConnectorOptions& o, const std::function<bool()>& cancelled,
                                const std::function<void(const std::string&)>& warn);

}  // namespace idsync::file
