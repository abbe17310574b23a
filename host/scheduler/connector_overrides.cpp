#include "scheduler/connector_overrides.hpp"

#include <boost/json.hpp>

#include "store/codec.hpp"

namespace idsync::scheduler {

namespace json = boost::json;

namespace {

constexpr int64_t kFormat = 1;
constexpr char kPrefix[] = "connector_override/";

[[noreturn]] void bad(const std::string& what) {
  throw store::CorruptRecord("the connector override record " + what);
}

}  // namespace

std::string connector_override_key(uint32_t connector_id) {
  std::string key = kPrefix;
  store::Encoder(key).u32be(connector_id);
  return key;
}

std::string encode_connector_override(const ConnectorOverride& o) {
  json::object out{{"format", kFormat}};
  if (o.full_import_required)
    out["full_import_required"] = json::object{{"reason", o.full_import_reason}};
  if (o.full_sync_required)
    out["full_sync_required"] = json::object{{"reason", o.full_sync_reason}};
  return json::serialize(out);
}

ConnectorOverride decode_connector_override(std::string_view text) {
  json::error_code ec;
  const json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) bad("is not a JSON object");
  const json::object& o = doc.get_object();
  const auto format = o.find("format");
  if (format == o.end() || !format->value().is_int64() || format->value().get_int64() != kFormat)
    bad("has an unknown format (written by a newer idsync?)");
  ConnectorOverride out;
  auto reason = [](const json::value& v, std::string_view key) {
    const json::object* flag = v.if_object();
    const json::value* r = flag ? flag->if_contains("reason") : nullptr;
    if (!r || !r->is_string()) bad("has a malformed " + std::string(key));
    return std::string(r->get_string());
  };
  for (const auto& [key, v] : o) {
    if (key == "format") continue;
    if (key == "full_import_required") {
      out.full_import_required = true;
      out.full_import_reason = reason(v, key);
    } else if (key == "full_sync_required") {
      out.full_sync_required = true;
      out.full_sync_reason = reason(v, key);
    } else {
      bad("has an unknown member \"" + std::string(key) + "\" (written by a newer idsync?)");
    }
  }
  return out;
}

ConnectorOverride read_connector_override(const store::Store& store, uint32_t connector_id,
                                          const std::string& connector) {
  const auto value = store.get_setting(connector_override_key(connector_id));
  if (!value) return {};
  try {
    return decode_connector_override(*value);
  } catch (const store::CorruptRecord& e) {
    throw store::CorruptRecord("store " + store.path().string() + ": connector " + connector +
                               ": " + e.what() +
                               "; set it again with `idsync connector override "
                               "set --connector " +
                               connector + " ...`");
  }
}

void write_connector_override(store::Store& store, uint32_t connector_id,
                              const ConnectorOverride& o) {
  store.put_setting(connector_override_key(connector_id),
                    o.any() ? std::optional(encode_connector_override(o)) : std::nullopt);
}

void require_full_import(store::Store& store, const std::string& connector, std::string reason) {
  const uint32_t id = store.connector_id(connector);
  ConnectorOverride o = read_connector_override(store, id, connector);
  o.full_import_required = true;
  o.full_import_reason = std::move(reason);
  write_connector_override(store, id, o);
}

void require_full_sync(store::Store& store, const std::string& connector, std::string reason) {
  const uint32_t id = store.connector_id(connector);
  ConnectorOverride o = read_connector_override(store, id, connector);
  o.full_sync_required = true;
  o.full_sync_reason = std::move(reason);
  write_connector_override(store, id, o);
}

}  // namespace idsync::scheduler
