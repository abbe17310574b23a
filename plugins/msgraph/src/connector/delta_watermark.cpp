#include "delta_watermark.hpp"

#include <boost/json.hpp>
#include <idsync/sdk.hpp>

namespace idsync::msgraph {

namespace {

sdk::Error not_ours(std::string_view why) {
  return sdk::Error(
      IDSYNC_ERR_PRECONDITION,
      "the watermark is not one of this connector (" + std::string(why) + "): run a full import",
      IDSYNC_ERROR);
}

std::string text_field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) throw not_ours(std::string(name) + " missing");
  return std::string(v->get_string());
}

}  // namespace

std::string DeltaWatermark::encode() const {
  boost::json::object by_type;
  for (const auto& [type, link] : types)
    by_type[type] = boost::json::object{{"link", link.link}, {"select", link.select}};
  return boost::json::serialize(boost::json::object{{"v", 1}, {"types", std::move(by_type)}});
}

DeltaWatermark DeltaWatermark::decode(std::string_view text) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw not_ours("not JSON");
  const auto* version = v.get_object().if_contains("v");
  if (version == nullptr || !version->is_int64() || version->get_int64() != 1)
    throw not_ours("unknown version");
  const auto* types = v.get_object().if_contains("types");
  if (types == nullptr || !types->is_object()) throw not_ours("no types");
  DeltaWatermark w;
  for (const auto& [type, entry] : types->get_object()) {
    if (!entry.is_object()) throw not_ours("a type is not an object");
    w.types[std::string(type)] = {text_field(entry.get_object(), "link"),
                                  text_field(entry.get_object(), "select")};
  }
  return w;
}

}  // namespace idsync::msgraph
