#include "mv_json.hpp"

#include <ctime>

#include "json_out.hpp"

namespace idsync::cli {

namespace json = boost::json;

json::value value_json(idsync_value_type type, std::string_view v) {
  // Reference values are mv ids, 8 bytes big endian (mv_object.hpp): a number reads better
  // than their base64, and it is what `mv show --id` takes.
  if (type == IDSYNC_VALUE_REFERENCE && v.size() == 8)
    return json::object{{"mv_id", store::mv_id_of(v)}};
  if (type != IDSYNC_VALUE_BINARY && is_printable_text(v)) return json::string(v);
  return json::object{{"base64", base64(v)}};
}

namespace {

json::value anchor_json(std::string_view anchor) {
  if (is_printable_text(anchor)) return json::string(anchor);
  return json::object{{"base64", base64(anchor)}};
}

}  // namespace

json::object mv_object_json(const store::MvObject& o) {
  json::object attrs;
  for (const auto& a : o.attributes) {
    json::array values;
    for (const auto& v : a.values) values.push_back(value_json(a.type, v));
    attrs[a.name] = std::move(values);
  }
  return json::object{{"id", o.id},
                      {"object_type", o.object_type},
                      {"deleted", o.deleted},
                      {"attributes", std::move(attrs)}};
}

json::object provenance_json(const store::MvObject& o, const ConnectorNameFn& name_of) {
  json::object out;
  for (const auto& a : o.attributes) {
    const auto& p = a.provenance;
    out[a.name] = json::object{{"connector", name_of(p.connector_id)},
                               {"rule", p.rule},
                               {"precedence", p.precedence},
                               {"when_ms", p.when_unix_ms}};
  }
  return out;
}

json::array links_json(const std::vector<store::Link>& links, const ConnectorNameFn& name_of) {
  json::array out;
  for (const auto& l : links)
    out.push_back(
        json::object{{"connector", name_of(l.connector_id)}, {"anchor", anchor_json(l.anchor)}});
  return out;
}

std::string value_text(idsync_value_type type, std::string_view v) {
  if (type == IDSYNC_VALUE_REFERENCE && v.size() == 8)
    return "mv:" + std::to_string(store::mv_id_of(v));
  if (type != IDSYNC_VALUE_BINARY && is_printable_text(v)) return std::string(v);
  return "base64:" + base64(v);
}

std::string utc_time(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace idsync::cli
