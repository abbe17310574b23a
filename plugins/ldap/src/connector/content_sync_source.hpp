// Delta import from LDAPv3 directories with RFC 4533 content synchronization (OpenLDAP's
// syncprov), refreshOnly mode: one search per partition with the sync request control
// (critical) and the cookie of the last import; the server answers with the entries changed
// since (complete, as STATE records), the entries deleted since (per entry, or as sets of
// entryUUIDs), and, when it keeps no session log covering the cookie, with a present phase: it
// lists what is unchanged, and whatever the host holds that is neither listed nor changed was
// deleted. That last case needs the anchors the host holds at the watermark, which this source
// remembers in the instance's state folder (KnownAnchors).
//
// The watermark is a Watermark of kind "rfc4533" with the cookie of each partition. Only the
// cookie of a syncDone control, which ends a complete refresh, ever becomes a watermark; the
// checkpoints of a delta import's pages mean "start again from the original watermark", since
// STATE and DELETE records are idempotent.
//
// The controls are encoded and decoded with lber (sync_control.hpp) and the search runs
// through Connection, which streams entries with their controls and intermediate messages,
// rather than through libldap's ldap_sync_* API: the connector's reads then share one place for
// TLS, timeouts, cancellation and error classification, and no C callback has to carry C++
// exceptions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "delta_source.hpp"
#include "directory_session.hpp"
#include "known_anchors.hpp"
#include "sync_control.hpp"

namespace idsync::ldap {

class ContentSyncSource : public DeltaSource {
 public:
  // `state_dir`: the instance's private folder (empty: no present phase can be resolved, so a
  // delta import then needs a server with a session log).
  ContentSyncSource(DirectorySession& session, const std::string& state_dir);

  std::string current_watermark() override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;
  void full_import_page(const std::string& watermark, const std::vector<std::string>& page_anchors,
                        uint64_t anchors_before) override;
  void full_import_finished(const std::string& watermark, uint64_t anchors) override;

  // One refreshOnly search of `partition` from `cookie` (empty: the whole content), streaming
  // to `handlers`. Returns the syncDone value. Throws sdk::Error: PRECONDITION when the server
  // cannot resume from the cookie (e-syncRefreshRequired, or it refuses the cookie), CONFIG when
  // it does not offer content sync, and the classified error otherwise.
  SyncDoneValue refresh(const std::string& partition, const std::string& cookie,
                        const std::string& filter, const std::vector<std::string>& attributes,
                        const SearchHandlers& handlers);

 private:
  DirectorySession& session_;
  KnownAnchors known_;
};

}  // namespace idsync::ldap
