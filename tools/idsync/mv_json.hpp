// JSON and text shapes of metaverse objects, for idsync mv (shapes documented in cmd_mv.cpp).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/links.hpp"
#include "store/mv_object.hpp"

namespace idsync::cli {

using ConnectorNameFn = std::function<std::string(uint32_t connector_id)>;

// One MV value: a string for printable text, {"mv_id": N} for a reference, else {"base64"}.
boost::json::value value_json(idsync_value_type type, std::string_view value);
// {"id", "object_type", "deleted", "attributes": {name: [values]}}
boost::json::object mv_object_json(const store::MvObject& object);
// {name: {"connector", "rule", "precedence", "when_ms"}}
boost::json::object provenance_json(const store::MvObject& object, const ConnectorNameFn& name_of);
// [{"connector", "anchor"}]
boost::json::array links_json(const std::vector<store::Link>& links,
                              const ConnectorNameFn& name_of);

// One value as a person reads it: text as is, references as "mv:<id>", else "base64:...".
std::string value_text(idsync_value_type type, std::string_view value);
// "2026-01-31T12:00:00Z"
std::string utc_time(int64_t unix_ms);

}  // namespace idsync::cli
