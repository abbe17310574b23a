// How the CLI shows a pending export, shared by idsync pending-exports and idsync object trace.
#pragma once

#include <boost/json/object.hpp>
#include <ostream>
#include <string_view>

#include "store/pending_export.hpp"
#include "store/secret_attributes.hpp"

namespace idsync::cli {

// {"anchor", "kind", "object_type", "dn"?, "new_dn"?, "attributes": [{"name", "op", "values"}],
//  "attempts", "last_error"?: {"status", "kind", "message", "when_unix_ms"}, "created_unix_ms",
//  "updated_unix_ms"}; binary or non-UTF-8 values as {"base64": "..."}. An attribute in
// `secrets` has {"name", "op", "secret": true, "value_count", "masked": "(secret: N values)"}
// instead of "values".
boost::json::object pending_export_json(std::string_view anchor, const store::PendingExport& pe,
                                        const store::SecretAttributes& secrets);

// A line "anchor<TAB>kind<TAB>object type<TAB>dn", then one indented line per rename, value
// change and last error; every line starts with `indent`. Secret values show as
// "(secret: N values)".
void print_pending_export(std::ostream& out, std::string_view anchor,
                          const store::PendingExport& pe, const store::SecretAttributes& secrets,
                          std::string_view indent = "");

}  // namespace idsync::cli
