// idsync deletion-threshold: each connector's export deletion threshold, held in the store
// (store/admin_settings.hpp), like Get-, Enable- and Disable-ADSyncExportDeletionThreshold.
// `show` reads a read-only view of the store (beside a running host; defaults before the first
// run) and counts the deletes waiting in the pending exports; `enable` and `disable` write the
// store: through idsyncd when it runs, else directly (then it must be free of another process).
#include <boost/json.hpp>
#include <charconv>
#include <iostream>

#include "commands.hpp"
#include "control/settings_operations.hpp"
#include "daemon_client.hpp"
#include "exporter/deletion_guard.hpp"
#include "store/admin_settings.hpp"
#include "store/codec.hpp"
#include "store/connector_space.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct Args {
  std::string connector;  // show: empty means every connector of the manifest
  std::string threshold;
  bool threshold_given = false;  // enable without --threshold keeps the stored value
  bool json = false;
};

// One connector's setting and what it means for the next export.
struct Row {
  std::string connector;
  store::DeletionThreshold threshold;
  uint64_t pending_deletes = 0;
  uint64_t space_objects = 0;  // counted only for a percentage threshold
  bool exceeded = false;       // the next export would stop for its deletes
};

const manifest::ConnectorDecl& find_connector(const runtime::Runtime& rt, const std::string& name) {
  if (const auto* decl = rt.manifest().find_connector(name)) return *decl;
  std::string names;
  for (const auto& c : rt.manifest().connectors) names += (names.empty() ? "" : ", ") + c.name;
  throw Exit{kExitUsage, "no connector named \"" + name + "\" in " + rt.manifest().file.string() +
                             " (connectors: " + (names.empty() ? "none" : names) + ")"};
}

// What --threshold asks for: N deletes (0 or more) or P% (1 to 100) of the connector space.
struct ThresholdValue {
  bool percent = false;
  uint64_t value = 0;
};

ThresholdValue parse_threshold(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string_view digits(text.data(), text.size() - (percent ? 1 : 0));
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const bool number =
      !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
  if (!number || (percent && (value < 1 || value > 100)))
    throw Exit{kExitUsage, "--threshold \"" + text +
                               "\": expected a number of deletes (0 or more, e.g. 500) or a "
                               "percentage of the connector space from 1% to 100% (e.g. 10%)"};
  return {percent, value};
}

Row read_row(store::Store* st, const manifest::ConnectorDecl& decl) {
  Row row{decl.name, {}, 0, 0, false};
  const std::optional<uint32_t> id = st ? st->find_connector_id(decl.name) : std::nullopt;
  if (!id) return row;  // never run: the defaults, nothing pending
  row.threshold = store::read_deletion_threshold(*st, *id);
  row.pending_deletes = exporter::count_pending(*st, *id, "").deletes;
  exporter::ExportStepOptions options;
  exporter::apply_deletion_threshold(row.threshold, options);
  if (row.threshold.enabled && row.threshold.percent && row.pending_deletes > 0)
    row.space_objects = store::ConnectorSpace(*st, *id).count();
  row.exceeded =
      exporter::exceeds_deletion_threshold(row.pending_deletes, row.space_objects, options);
  return row;
}

json::object row_json(const Row& row) {
  const auto& t = row.threshold;
  json::object out;
  out["connector"] = row.connector;
  out["enabled"] = t.enabled;
  out["threshold"] = t.count;
  out["percent"] = t.percent ? json::value(static_cast<uint64_t>(*t.percent)) : json::value();
  out["pending_deletes"] = row.pending_deletes;
  out["exceeded"] = row.exceeded;
  return out;
}

void print_row(const Row& row) {
  const auto& t = row.threshold;
  const std::string limit = t.percent ? std::to_string(*t.percent) + "% of the connector space"
                                      : std::to_string(t.count) + " deletes";
  std::cout << row.connector << ": "
            << (t.enabled ? "enabled, threshold " + limit
                          : "disabled (exports never stop for deletes; kept: " + limit + ")")
            << "; " << row.pending_deletes << " pending delete"
            << (row.pending_deletes == 1 ? "" : "s");
  if (row.exceeded) std::cout << " - the next export stops for them";
  std::cout << "\n";
}

int show(const Context& ctx, const Args& a) {
  auto rt = ctx.load_runtime();
  std::vector<const manifest::ConnectorDecl*> decls;
  if (!a.connector.empty())
    decls.push_back(&find_connector(*rt, a.connector));
  else
    for (const auto& c : rt->manifest().connectors) decls.push_back(&c);
  std::unique_ptr<store::Store> st = Context::open_store_for_reading(*rt);
  json::array rows;
  for (const auto* decl : decls) {
    const Row row = read_row(st.get(), *decl);
    if (a.json)
      rows.push_back(row_json(row));
    else
      print_row(row);
  }
  if (a.json) std::cout << json::serialize(rows) << "\n";
  return kExitOk;
}

int set(const Context& ctx, const Args& a, bool enable) {
  auto rt = ctx.load_runtime();
  const auto& decl = find_connector(*rt, a.connector);
  // A bad value is refused before the store is opened, so nothing changes.
  json::object request{
      {"op", "deletion_threshold.set"}, {"connector", decl.name}, {"enabled", enable}};
  if (enable && a.threshold_given) {
    const ThresholdValue v = parse_threshold(a.threshold);
    request["threshold"] = v.percent ? json::value(std::to_string(v.value) + "%")
                                     : json::value(static_cast<int64_t>(v.value));
  }
  if (auto daemon = connect_daemon(*rt)) {
    ask_daemon(*daemon, request);
    // Read back beside the daemon that wrote it.
    std::unique_ptr<store::Store> st = Context::open_store_for_reading(*rt);
    print_row(read_row(st.get(), decl));
    return kExitOk;
  }
  via_daemon_or(*rt, request, [&] {
    return control::deletion_threshold_set(rt->manifest(), rt->store(), request);
  });
  print_row(read_row(&rt->store(), decl));
  return kExitOk;
}

}  // namespace

void add_deletion_threshold_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "deletion-threshold",
      "Show or change the export deletion threshold of connectors (held in the store)");
  cmd->require_subcommand(1);

  auto show_args = std::make_shared<Args>();
  auto* show_cmd = cmd->add_subcommand(
      "show", "Each connector's threshold and the deletes waiting in its pending exports");
  show_cmd->add_option("--connector", show_args->connector, "Only this connector");
  show_cmd->add_flag("--json", show_args->json, "Print a JSON array");
  show_cmd->callback(
      [&ctx, show_args] { ctx.action = [&ctx, show_args] { return show(ctx, *show_args); }; });

  auto enable_args = std::make_shared<Args>();
  auto* enable_cmd = cmd->add_subcommand(
      "enable", "Stop exports with more pending deletes than the threshold until allowed");
  enable_cmd->add_option("--connector", enable_args->connector, "Connector name")->required();
  auto* threshold =
      enable_cmd->add_option("--threshold", enable_args->threshold,
                             "N deletes (0 or more), or P% of the connector space (1% to 100%); "
                             "default: keep the stored value (initially 500)");
  enable_cmd->callback([&ctx, enable_args, threshold] {
    enable_args->threshold_given = threshold->count() > 0;
    ctx.action = [&ctx, enable_args] { return set(ctx, *enable_args, true); };
  });

  auto disable_args = std::make_shared<Args>();
  auto* disable_cmd =
      cmd->add_subcommand("disable", "Never stop exports for deletes (the threshold is kept)");
  disable_cmd->add_option("--connector", disable_args->connector, "Connector name")->required();
  disable_cmd->callback([&ctx, disable_args] {
    ctx.action = [&ctx, disable_args] { return set(ctx, *disable_args, false); };
  });
}

}  // namespace idsync::cli
