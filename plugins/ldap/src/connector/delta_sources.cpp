#include "delta_sources.hpp"

#include "dirsync_source.hpp"

namespace idsync::ldap {

std::unique_ptr<DeltaSource> make_delta_source(DirectorySession& session, const std::string&) {
  return std::make_unique<DirSyncSource>(session);
}

}  // namespace idsync::ldap
