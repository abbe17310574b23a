// Active Directory delta import without DirSync: objects whose uSNChanged is above the USN the
// last import ended at (read whole, as STATE records), and tombstones in that USN range found
// with the Show Deleted control (as deletes). For accounts or DCs where DirSync is not
// available. USNs are local to one DC, so the watermark keeps the DC's invocationId: when
// another DC answers, or this one was restored from a backup, the invocationId differs and the
// import says PRECONDITION, which makes the host run a full import.
#pragma once

#include "delta_source.hpp"
#include "directory_session.hpp"

namespace idsync::ldap {

class UsnSource : public DeltaSource {
 public:
  explicit UsnSource(DirectorySession& session) : session_(session) {}

  std::string current_watermark() override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;

 private:
  // The DC's invocationId (GUID text) and its highestCommittedUSN, read now.
  std::pair<std::string, std::string> dc_position();
  void push_changed(const std::string& partition, uint64_t above, sdk::ImportWriter& out,
                    const std::string& checkpoint);
  void push_deleted(const std::string& partition, uint64_t above, sdk::ImportWriter& out,
                    const std::string& checkpoint);

  DirectorySession& session_;
};

}  // namespace idsync::ldap
