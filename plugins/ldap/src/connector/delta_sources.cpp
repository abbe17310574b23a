#include "delta_sources.hpp"

#include "content_sync_source.hpp"
#include "dirsync_source.hpp"
#include "usn_source.hpp"

namespace idsync::ldap {

std::unique_ptr<DeltaSource> make_delta_source(DirectorySession& session,
                                               const std::string& state_dir) {
  if (session.options().kind == DirectoryKind::generic)
    return std::make_unique<ContentSyncSource>(session, state_dir);
  if (session.options().delta_mode == AdDeltaMode::usn) return std::make_unique<UsnSource>(session);
  return std::make_unique<DirSyncSource>(session);
}

}  // namespace idsync::ldap
