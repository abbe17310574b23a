#include "json_out.hpp"

namespace idsync::cli {

namespace json = boost::json;

bool is_printable_text(std::string_view s) {
  // Valid UTF-8 without control characters other than tab/newline.
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
      ++i;
      continue;
    }
    const int extra = (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    if (extra < 0 || i + static_cast<size_t>(extra) >= s.size()) return false;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += extra + 1;
  }
  return true;
}

std::string base64(std::string_view in) {
  static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(table[(n >> shift) & 63]);
  }
  if (i < in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) n |= uint8_t(in[i + 1]) << 8;
    out.push_back(table[(n >> 18) & 63]);
    out.push_back(table[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? table[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

namespace {
json::value bytes_json(std::string_view v, bool binary) {
  if (!binary && is_printable_text(v)) return json::string(v);
  return json::object{{"base64", base64(v)}};
}
}  // namespace

json::object cs_object_json(const store::CsObject& o, const store::SecretAttributes& secrets) {
  json::object out;
  out["anchor"] = bytes_json(o.anchor, false);
  if (!o.dn.empty()) out["dn"] = o.dn;
  out["object_type"] = o.object_type;
  out["pending_change"] = std::string(store::to_string(o.pending));
  if (!o.previous_dn.empty()) out["previous_dn"] = o.previous_dn;
  if (!o.changed_attributes.empty()) {
    json::array names;
    for (const auto& n : o.changed_attributes) names.push_back(json::string(n));
    out["changed_attributes"] = std::move(names);
  }
  json::object attrs;
  for (const auto& a : o.attributes) {
    if (secrets.contains(a.name)) {
      attrs[a.name] = json::object{{"secret", true},
                                   {"value_count", a.values.size()},
                                   {"masked", store::secret_mask(a.values.size())}};
      continue;
    }
    json::array values;
    for (const auto& v : a.values) values.push_back(bytes_json(v, a.type == IDSYNC_VALUE_BINARY));
    attrs[a.name] = std::move(values);
  }
  out["attributes"] = std::move(attrs);
  return out;
}

json::object counters_json(const store::ImportCounters& c) { return store::counters_to_json(c); }

json::array object_issues_json(const std::vector<store::ObjectIssue>& issues) {
  json::array out;
  for (const auto& x : issues)
    out.push_back(json::object{
        {"anchor", bytes_json(x.anchor, false)}, {"kind", x.kind}, {"message", x.message}});
  return out;
}

json::object run_record_json(const store::RunRecord& r) {
  return json::object{{"run_id", r.id},
                      {"connector", r.connector},
                      {"profile", r.profile},
                      {"step", r.step},
                      {"status", r.status},
                      {"started_ms", r.started_unix_ms},
                      {"ended_ms", r.ended_unix_ms},
                      {"counters", counters_json(r.counters)},
                      {"message", r.message},
                      {"reason", r.reason.empty() ? json::value() : json::value(r.reason)},
                      {"object_issues", object_issues_json(r.object_issues)}};
}

}  // namespace idsync::cli
