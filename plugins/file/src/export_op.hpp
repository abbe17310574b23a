// Checks of one export operation shared by both export modes (rewrite and append): which anchor
// it applies to, and the object an ADD creates.
#pragma once

#include <idsync/sdk.hpp>
#include <optional>
#include <string>

#include "format_options.hpp"
#include "object.hpp"

namespace idsync::file {

class ObjectWriter;

// One operation's outcome, reported to the host.
struct ExportResult {
  uint64_t op_id = 0;
  idsync_status status = IDSYNC_OK;
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string message;
  std::string anchor;  // ADD: the anchor the object has
  std::string dn;      // the DN the object now has, when it changed

  // Marks the operation failed with `kind` (the object is left as it was).
  void fail(idsync_error_kind error, std::string why) {
    status = IDSYNC_ERROR;
    kind = error;
    message = std::move(why);
  }
};

// The anchor an operation applies to; empty, with the failure in `r`, when it cannot be applied.
// An ADD without an anchor takes the anchor attribute it carries (exactly one value: the sync
// rules computed it), else a new UUID; where the DN is the anchor, its DN.
std::string op_anchor(const sdk::ExportOp& op, const FormatOptions& o, ExportResult& r);

// The object an ADD creates under `anchor`, checked (and normalized) by `writer`; nullopt with
// the failure in `r` when the format cannot hold it. The result's anchor and DN are set on
// success.
std::optional<OwnedObject> added_object(const sdk::ExportOp& op, const std::string& anchor,
                                        const FormatOptions& o, const ObjectWriter& writer,
                                        ExportResult& r);

// A random UUID v4 in its canonical text form.
std::string new_uuid();

}  // namespace idsync::file
