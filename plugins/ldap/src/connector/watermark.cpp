#include "watermark.hpp"

#include <boost/json.hpp>
#include <idsync/sdk.hpp>

#include "codec/base64.hpp"
#include "dn_scope.hpp"

namespace idsync::ldap {

namespace json = boost::json;

std::string Watermark::encode() const {
  json::array parts;
  for (const auto& [partition, token] : tokens)
    parts.push_back(json::object{{"partition", partition}, {"token", codec::base64_encode(token)}});
  json::object o{{"kind", kind}, {"partitions", std::move(parts)}};
  if (!invocation_id.empty()) o["invocation_id"] = invocation_id;
  if (!usn.empty()) o["usn"] = usn;
  return json::serialize(o);
}

Watermark Watermark::decode(const std::string& text, const std::string& expected_kind,
                            const std::vector<std::string>& partitions) {
  auto reject = [&](const std::string& why) -> sdk::Error {
    return sdk::Error(IDSYNC_ERR_PRECONDITION,
                      "the watermark cannot be used (" + why + "); a full import is required");
  };
  Watermark w;
  try {
    const json::object o = json::parse(text).as_object();
    w.kind = json::value_to<std::string>(o.at("kind"));
    for (const auto& p : o.at("partitions").as_array()) {
      const json::object& part = p.as_object();
      auto token = codec::base64_decode(json::value_to<std::string>(part.at("token")));
      if (!token) throw reject("a partition's token is not base64");
      w.tokens.emplace_back(json::value_to<std::string>(part.at("partition")), std::move(*token));
      normalize_dn(w.tokens.back().first);  // throws (caught below) for what is not a DN
    }
    if (auto* v = o.if_contains("invocation_id")) w.invocation_id = json::value_to<std::string>(*v);
    if (auto* v = o.if_contains("usn")) w.usn = json::value_to<std::string>(*v);
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception&) {
    throw reject("it is not a watermark this connector wrote");
  }
  if (w.kind != expected_kind)
    throw reject("it was written by the \"" + w.kind + "\" delta source, this connector uses \"" +
                 expected_kind + "\"");
  if (w.tokens.size() != partitions.size()) throw reject("the configured partitions changed");
  for (const auto& partition : partitions) {
    bool found = false;
    for (const auto& [dn, token] : w.tokens)
      if (normalize_dn(dn) == normalize_dn(partition)) found = true;
    if (!found) throw reject("the configured partitions changed");
  }
  return w;
}

const std::string& Watermark::token(const std::string& partition) const {
  static const std::string none;
  for (const auto& [dn, token] : tokens)
    if (normalize_dn(dn) == normalize_dn(partition)) return token;
  return none;
}

void Watermark::set_token(const std::string& partition, std::string token) {
  for (auto& [dn, t] : tokens)
    if (normalize_dn(dn) == normalize_dn(partition)) {
      t = std::move(token);
      return;
    }
  tokens.emplace_back(partition, std::move(token));
}

}  // namespace idsync::ldap
