// Full import: every in-scope entry of the selected classes, partition by partition, with the
// simple paged results control (RFC 2696). Each LDAP page is one committed host page whose
// checkpoint says how far into which partition's search it got; a resumption (after a crash or
// a dropped connection) runs the search again and skips that many entries, checking that the
// last one is where it was, so that the host never sees an anchor twice. When the directory
// changed so much that it is not, the import says PRECONDITION and the host starts over.
//
// The LDAP side (reading, decoding, mapping) runs on a reader thread of the import's own, a page
// or two ahead of the calling thread, which alone talks to the host (the ImportWriter) and
// decides about reconnecting; the reader is stopped and joined before this returns or throws.
#pragma once

#include <idsync/sdk.hpp>

#include "delta_source.hpp"
#include "directory_session.hpp"

namespace idsync::ldap {

void run_full_import(DirectorySession& session, DeltaSource& delta,
                     const sdk::ImportRequest& request, sdk::ImportWriter& out);

}  // namespace idsync::ldap
