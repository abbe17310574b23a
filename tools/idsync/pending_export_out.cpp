#include "pending_export_out.hpp"

#include <idsync/sdk.hpp>

#include "json_out.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

json::value bytes_json(std::string_view v, bool binary) {
  if (!binary && is_printable_text(v)) return json::string(v);
  return json::object{{"base64", base64(v)}};
}

std::string bytes_text(std::string_view v, bool binary) {
  return !binary && is_printable_text(v) ? std::string(v) : "base64:" + base64(v);
}

}  // namespace

json::object pending_export_json(std::string_view anchor, const store::PendingExport& pe,
                                 const store::SecretAttributes& secrets) {
  json::object out;
  out["anchor"] = bytes_json(anchor, false);
  out["kind"] = std::string(store::to_string(pe.kind));
  out["object_type"] = pe.object_type;
  if (!pe.dn.empty()) out["dn"] = pe.dn;
  if (!pe.new_dn.empty()) out["new_dn"] = pe.new_dn;
  json::array attrs;
  for (const auto& d : pe.attributes) {
    if (secrets.contains(d.name)) {
      attrs.push_back(json::object{{"name", d.name},
                                   {"op", std::string(store::to_string(d.op))},
                                   {"secret", true},
                                   {"value_count", d.values.size()},
                                   {"masked", store::secret_mask(d.values.size())}});
      continue;
    }
    json::array values;
    for (const auto& v : d.values) values.push_back(bytes_json(v, d.type == IDSYNC_VALUE_BINARY));
    attrs.push_back(json::object{{"name", d.name},
                                 {"op", std::string(store::to_string(d.op))},
                                 {"values", std::move(values)}});
  }
  out["attributes"] = std::move(attrs);
  out["attempts"] = pe.attempts;
  if (pe.last_error) {
    const auto& e = *pe.last_error;
    out["last_error"] =
        json::object{{"status", sdk::status_name(static_cast<idsync_status>(e.status))},
                     {"kind", sdk::error_kind_name(static_cast<idsync_error_kind>(e.kind))},
                     {"message", e.message},
                     {"when_unix_ms", e.when_unix_ms}};
  }
  out["created_unix_ms"] = pe.created_unix_ms;
  out["updated_unix_ms"] = pe.updated_unix_ms;
  return out;
}

void print_pending_export(std::ostream& out, std::string_view anchor,
                          const store::PendingExport& pe, const store::SecretAttributes& secrets,
                          std::string_view indent) {
  out << indent << bytes_text(anchor, false) << "\t" << store::to_string(pe.kind) << "\t"
      << pe.object_type << "\t" << pe.dn << "\n";
  if (!pe.new_dn.empty()) out << indent << "  rename to: " << pe.new_dn << "\n";
  for (const auto& d : pe.attributes) {
    out << indent << "  " << store::to_string(d.op) << " " << d.name << ":";
    if (secrets.contains(d.name))
      out << " " << store::secret_mask(d.values.size());
    else if (d.values.empty())
      out << " (no values)";
    else
      for (const auto& v : d.values) out << " " << bytes_text(v, d.type == IDSYNC_VALUE_BINARY);
    out << "\n";
  }
  if (pe.last_error)
    out << indent << "  last error (attempt " << pe.attempts
        << "): " << sdk::status_name(static_cast<idsync_status>(pe.last_error->status)) << " "
        << sdk::error_kind_name(static_cast<idsync_error_kind>(pe.last_error->kind)) << ": "
        << pe.last_error->message << "\n";
}

}  // namespace idsync::cli
