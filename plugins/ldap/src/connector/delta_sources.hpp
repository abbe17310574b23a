// Picks the delta source of a connector instance from its options.
#pragma once

#include <memory>
#include <string>

#include "delta_source.hpp"
#include "directory_session.hpp"

namespace idsync::ldap {

// `state_dir`: the instance's private folder, for sources that keep state of their own.
std::unique_ptr<DeltaSource> make_delta_source(DirectorySession& session,
                                               const std::string& state_dir);

}  // namespace idsync::ldap
