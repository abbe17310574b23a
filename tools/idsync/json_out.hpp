// JSON shapes the CLI prints, shared by the read commands.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "store/cs_object.hpp"
#include "store/run_history.hpp"
#include "store/secret_attributes.hpp"

namespace idsync::cli {

// {"anchor", "dn" (when there is one), "object_type", "pending_change", "attributes": {name:
// [values]}} plus "changed_attributes" / "previous_dn" while an update or rename is pending.
// Text values print as strings; binary values as {"base64": "..."}. An attribute in `secrets`
// shows {"secret": true, "value_count", "masked": "(secret: N values)"} instead of its values
// (the import drops secrets, so only a store written before the connector declared them holds
// any).
boost::json::object cs_object_json(const store::CsObject& object,
                                   const store::SecretAttributes& secrets);
boost::json::object counters_json(const store::ImportCounters& counters);
boost::json::object run_record_json(const store::RunRecord& record);
// [{"anchor", "kind", "message"}] (anchor as cs_object_json shows anchors).
boost::json::array object_issues_json(const std::vector<store::ObjectIssue>& issues);

// Anchors and values that are not printable UTF-8 text show as base64.
bool is_printable_text(std::string_view bytes);
std::string base64(std::string_view bytes);

}  // namespace idsync::cli
