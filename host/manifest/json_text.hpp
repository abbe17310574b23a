// Turning manifest text into a JSON value, with errors an admin can act on.
#ifndef IDSYNC_MANIFEST_JSON_TEXT_HPP
#define IDSYNC_MANIFEST_JSON_TEXT_HPP

#include <boost/json/value.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "manifest/diagnostics.hpp"

namespace idsync::manifest {

// Parses strict JSON (RFC 8259: no comments, no trailing commas); a leading UTF-8 byte order
// mark is skipped because Windows editors add one.
//
// A syntax error adds one Diagnostic with line and column set (both 1-based; the column counts
// UTF-8 characters, as editors do) and returns nothing.
//
// A key repeated within one object adds a Diagnostic at that key's path ("duplicate key") but
// the value is still returned, keeping the last occurrence, so that the caller can go on and
// report every other problem too. Boost.JSON alone would silently drop the earlier one.
std::optional<boost::json::value> parse_json_text(std::string_view text,
                                                  std::vector<Diagnostic>& problems);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_JSON_TEXT_HPP
