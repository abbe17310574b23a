// Reading a delete limit (common/delete_limit.hpp) from the manifest: an integer count of
// objects (>= 0) or a percentage string "1%".."100%".
#ifndef IDSYNC_MANIFEST_DELETE_LIMIT_HPP
#define IDSYNC_MANIFEST_DELETE_LIMIT_HPP

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/delete_limit.hpp"
#include "manifest/diagnostics.hpp"

namespace idsync::manifest {

// The limit `v` spells; otherwise adds a problem at `path` and returns nothing: wrong type
// `expected an integer >= 0 or a percentage "1%".."100%", found a boolean`, a negative count
// `expected an integer >= 0 or ...`, a bad string `expected a percentage "1%".."100%", found
// "150%"`.
std::optional<common::DeleteLimit> read_delete_limit(const boost::json::value& v,
                                                     const std::string& path,
                                                     std::vector<Diagnostic>& problems);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_DELETE_LIMIT_HPP
