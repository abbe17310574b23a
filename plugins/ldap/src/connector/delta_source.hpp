// A way of finding what changed in a directory since a watermark. The connector has one per
// instance: DirSync or USN for Active Directory, RFC 4533 content sync for other directories.
//
// Watermarks are JSON text naming the source ("kind"), so that a watermark of another source or
// of another connector fails with PRECONDITION instead of being misread.
#pragma once

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

namespace idsync::ldap {

class DeltaSource {
 public:
  virtual ~DeltaSource() = default;

  // The watermark of the directory as it is now. A full import takes it before it reads, so
  // that what changes while it reads is seen again by the next delta import.
  virtual std::string current_watermark() = 0;
  // Pushes the changes since request.watermark (UPDATE, STATE, DELETE records) and ends with
  // import_end and the new watermark. An expired, foreign or malformed watermark: sdk::Error
  // PRECONDITION before anything is pushed.
  virtual void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) = 0;

  // Told by the full import, for sources that keep state of their own. `page_anchors` are the
  // anchors of one page about to be committed; `anchors_before` how many the full import
  // (started with `watermark`) committed in its earlier pages, also across a resumption.
  virtual void full_import_page(const std::string& /*watermark*/,
                                const std::vector<std::string>& /*page_anchors*/,
                                uint64_t /*anchors_before*/) {}
  // Just before the full import's import_end with `watermark`; `anchors`: how many in all.
  virtual void full_import_finished(const std::string& /*watermark*/, uint64_t /*anchors*/) {}
};

}  // namespace idsync::ldap
