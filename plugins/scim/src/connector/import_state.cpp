#include "connector/import_state.hpp"

#include <boost/json.hpp>
#include <idsync/sdk.hpp>

namespace idsync::scim {

namespace {

sdk::Error not_ours(std::string_view what) {
  return sdk::Error(IDSYNC_ERR_PRECONDITION,
                    "the " + std::string(what) + " is not one of this connector: run a full import",
                    IDSYNC_ERROR);
}

boost::json::object since_json(const Watermark& w) {
  boost::json::object since;
  for (const auto& [type, instant] : w.since) since[type] = instant;
  return since;
}

bool read_since(const boost::json::value* v, Watermark& out) {
  if (!v || !v->is_object()) return false;
  for (const auto& kv : v->get_object()) {
    if (!kv.value().is_string()) return false;
    out.since[std::string(kv.key())] = std::string(kv.value().get_string());
  }
  return true;
}

std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* version = v.get_object().if_contains("v");
  if (!version || !version->is_int64() || version->get_int64() != 1) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

std::string Watermark::encode() const {
  return boost::json::serialize(
      boost::json::object{{"v", 1}, {"mode", "lastModified"}, {"since", since_json(*this)}});
}

Watermark Watermark::decode(std::string_view text) {
  const auto o = parse_object(text);
  Watermark w;
  const auto* mode = o ? o->if_contains("mode") : nullptr;
  if (!mode || !mode->is_string() || mode->get_string() != "lastModified" ||
      !read_since(o->if_contains("since"), w))
    throw not_ours("watermark");
  return w;
}

std::string ImportCheckpoint::encode() const {
  boost::json::array last;
  for (const std::string& id : last_ids) last.emplace_back(id);
  return boost::json::serialize(boost::json::object{{"v", 1},
                                                    {"type", type},
                                                    {"next", next},
                                                    {"total", total},
                                                    {"last", last},
                                                    {"since", since_json(watermark)},
                                                    {"complete", complete}});
}

ImportCheckpoint ImportCheckpoint::decode(std::string_view text) {
  const auto o = parse_object(text);
  if (!o) throw not_ours("import checkpoint");
  ImportCheckpoint c;
  const auto* type = o->if_contains("type");
  const auto* next = o->if_contains("next");
  const auto* total = o->if_contains("total");
  const auto* last = o->if_contains("last");
  const auto* complete = o->if_contains("complete");
  if (!type || !type->is_string() || !next || !next->is_int64() || next->get_int64() < 1 ||
      !total || !total->is_int64() || !last || !last->is_array() || !complete ||
      !complete->is_bool() || !read_since(o->if_contains("since"), c.watermark))
    throw not_ours("import checkpoint");
  c.type = std::string(type->get_string());
  c.next = next->get_int64();
  c.total = total->get_int64();
  for (const auto& id : last->get_array()) {
    if (!id.is_string()) throw not_ours("import checkpoint");
    c.last_ids.emplace_back(id.get_string());
  }
  c.complete = complete->get_bool();
  return c;
}

}  // namespace idsync::scim
