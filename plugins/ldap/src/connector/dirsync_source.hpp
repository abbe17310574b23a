// Active Directory delta import with the DirSync control (MS-ADTS 3.1.1.3.4.1.3): the DC returns
// each object changed since the cookie with only its changed attributes, linked values (member)
// as value deltas (incremental values: `member;range=1-1` added, `member;range=0-0` removed),
// tombstones with isDeleted, renames and moves with name and parentGUID. The cookie after each
// DirSync page is committed with that page (in its checkpoint) and becomes the watermark at the
// end, so that a stopped delta import resumes after the last committed page.
#pragma once

#include "delta_source.hpp"
#include "directory_session.hpp"

namespace idsync::ldap {

class DirSyncSource : public DeltaSource {
 public:
  explicit DirSyncSource(DirectorySession& session) : session_(session) {}

  std::string current_watermark() override;
  void delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) override;

  // One DirSync search of `partition` from `cookie`: returns the entries, sets the new cookie
  // and whether the DC has more. Throws PRECONDITION when the DC refuses the cookie, PERMISSION
  // when the account lacks the right DirSync needs (the message says which and the way out).
  std::vector<Entry> search_page(const std::string& partition, const std::string& filter,
                                 const std::vector<std::string>& attributes, std::string& cookie,
                                 bool& more);

 private:
  void push_change(Entry& entry, sdk::ImportWriter& out);
  std::optional<Entry> read_by_guid(const std::string& partition, std::string_view guid,
                                    const std::vector<std::string>& attributes);
  uint32_t flags() const;

  DirectorySession& session_;
  std::string partition_;  // the partition being read
};

}  // namespace idsync::ldap
