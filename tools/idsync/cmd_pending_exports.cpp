// idsync pending-exports: what the next export will send to a connector, with the error and
// attempts of the ones that failed before. Reads a read-only view of the store, so it works
// beside a running host, and streams: listing a million pending exports holds one at a time.
// The values of the connector's secret attributes (passwords) are never printed: each shows as
// "(secret: N values)".
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "json_out.hpp"
#include "pending_export_out.hpp"
#include "store/pending_export.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct Args {
  std::string connector;
  size_t limit = 0;  // 0: all
  bool json = false;
};

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
    const store::SecretAttributes secrets = store::read_secret_attributes(*st, *id);
    store::PendingExports(*st, *id).for_each(
        [&](std::string_view anchor, const store::PendingExport& pe) {
          if (a.json)
            std::cout << (shown ? ",\n" : "\n")
                      << json::serialize(pending_export_json(anchor, pe, secrets));
          else
            print_pending_export(std::cout, anchor, pe, secrets);
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
