// idsync pending-exports: what the next export will send to a connector, with the error and
// attempts of the ones that failed before. Reads a read-only view of the store, so it works
// beside a running host, and streams: listing a million pending exports holds one at a time.
#include <boost/json.hpp>
#include <idsync/sdk.hpp>
#include <iostream>

#include "commands.hpp"
#include "json_out.hpp"
#include "store/pending_export.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct Args {
  std::string connector;
  size_t limit = 0;  // 0: all
  bool json = false;
};

json::value bytes_json(std::string_view v, bool binary) {
  if (!binary && is_printable_text(v)) return json::string(v);
  return json::object{{"base64", base64(v)}};
}

std::string bytes_text(std::string_view v, bool binary) {
  return !binary && is_printable_text(v) ? std::string(v) : "base64:" + base64(v);
}

json::object pending_export_json(std::string_view anchor, const store::PendingExport& pe) {
  json::object out;
  out["anchor"] = bytes_json(anchor, false);
  out["kind"] = std::string(store::to_string(pe.kind));
  out["object_type"] = pe.object_type;
  if (!pe.dn.empty()) out["dn"] = pe.dn;
  if (!pe.new_dn.empty()) out["new_dn"] = pe.new_dn;
  json::array attrs;
  for (const auto& d : pe.attributes) {
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

void print_text(std::string_view anchor, const store::PendingExport& pe) {
  std::cout << bytes_text(anchor, false) << "\t" << store::to_string(pe.kind) << "\t"
            << pe.object_type << "\t" << pe.dn << "\n";
  if (!pe.new_dn.empty()) std::cout << "  rename to: " << pe.new_dn << "\n";
  for (const auto& d : pe.attributes) {
    std::cout << "  " << store::to_string(d.op) << " " << d.name << ":";
    if (d.values.empty()) std::cout << " (no values)";
    for (const auto& v : d.values) std::cout << " " << bytes_text(v, d.type == IDSYNC_VALUE_BINARY);
    std::cout << "\n";
  }
  if (pe.last_error)
    std::cout << "  last error (attempt " << pe.attempts
              << "): " << sdk::status_name(static_cast<idsync_status>(pe.last_error->status)) << " "
              << sdk::error_kind_name(static_cast<idsync_error_kind>(pe.last_error->kind)) << ": "
              << pe.last_error->message << "\n";
}

int list(const Context& ctx, const Args& a) {
  auto rt = ctx.load_runtime();
  const auto* decl = rt->manifest().find_connector(a.connector);
  if (!decl)
    throw Exit{kExitUsage,
               "no connector named \"" + a.connector + "\" in " + rt->manifest().file.string()};
  std::unique_ptr<store::Store> st = Context::open_store_for_reading(*rt);
  std::optional<uint32_t> id;
  if (st) id = st->find_connector_id(decl->name);
  size_t shown = 0;
  if (a.json) std::cout << "[";
  if (id) {
    store::PendingExports(*st, *id).for_each(
        [&](std::string_view anchor, const store::PendingExport& pe) {
          if (a.json)
            std::cout << (shown ? ",\n" : "\n") << json::serialize(pending_export_json(anchor, pe));
          else
            print_text(anchor, pe);
          ++shown;
          return a.limit == 0 || shown < a.limit;
        });
  }
  if (a.json)
    std::cout << (shown ? "\n]\n" : "]\n");
  else
    std::cerr << shown << " pending export" << (shown == 1 ? "" : "s") << "\n";
  return kExitOk;
}

}  // namespace

void add_pending_exports_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<Args>();
  auto* c =
      app.add_subcommand("pending-exports", "List what the next export will send to a connector");
  c->add_option("--connector", args->connector, "Connector name")->required();
  c->add_option("--limit", args->limit, "Stop after N pending exports");
  c->add_flag("--json", args->json, "Print a JSON array");
  c->callback([&ctx, args] { ctx.action = [&ctx, args] { return list(ctx, *args); }; });
}

}  // namespace idsync::cli
