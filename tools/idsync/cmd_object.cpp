// idsync object trace: a dry run of the sync engine for one connector-space object, showing
// which rules are in scope, the join decision, every MV attribute's resulting value with the
// rule and precedence that won, and the pending exports the sync would cause. Nothing is
// committed (runtime/object_trace.hpp says how).
//
// --json prints {"connector", "object": <cs object>, "inbound_rules": [<verdict>], "join":
// {"outcome", "explanation", "mv_before"?, "mv_after"?}, "metaverse": {"id", "object_type",
// "deleted", "attributes": [{"name", "before": [...], "after": [...], "changed", "from"?:
// {"connector", "rule", "precedence"}}]}?, "outbound_rules": [<verdict>], "pending_exports":
// [{"connector", "anchor", "before"?, "after"?}], "errors": [...]}; a verdict is {"rule",
// "connector", "link_type", "precedence", "in_scope"}.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "json_out.hpp"
#include "mv_json.hpp"
#include "pending_export_out.hpp"
#include "runtime/object_trace.hpp"
#include "store/store.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct TraceArgs {
  std::string connector;
  std::string anchor;
  bool json = false;
};

json::object verdict_json(const runtime::RuleVerdict& v) {
  return json::object{{"rule", v.rule},
                      {"connector", v.connector},
                      {"link_type", v.link_type},
                      {"precedence", v.precedence},
                      {"in_scope", v.in_scope}};
}

json::array values_json(const runtime::AttributeTrace& a, const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.push_back(value_json(a.type, v));
  return out;
}

json::object trace_json(const runtime::ObjectTrace& t) {
  json::object out;
  out["connector"] = t.connector;
  out["object"] = cs_object_json(t.object, t.secrets);
  json::array inbound;
  for (const auto& v : t.inbound_rules) inbound.push_back(verdict_json(v));
  out["inbound_rules"] = std::move(inbound);
  json::object join{{"outcome", std::string(runtime::to_string(t.outcome))},
                    {"explanation", t.explanation}};
  if (t.mv_before) join["mv_before"] = *t.mv_before;
  if (t.mv_after) join["mv_after"] = *t.mv_after;
  out["join"] = std::move(join);
  if (t.mv_before || t.mv_after) {
    json::array attrs;
    for (const auto& a : t.attributes) {
      json::object o{{"name", a.name},
                     {"before", values_json(a, a.before)},
                     {"after", values_json(a, a.after)},
                     {"changed", a.changed()}};
      if (a.provenance)
        o["from"] = json::object{{"connector", a.source_connector},
                                 {"rule", a.provenance->rule},
                                 {"precedence", a.provenance->precedence}};
      attrs.push_back(std::move(o));
    }
    out["metaverse"] = json::object{{"id", t.mv_after ? *t.mv_after : *t.mv_before},
                                    {"object_type", t.mv_object_type},
                                    {"deleted", t.mv_deleted},
                                    {"attributes", std::move(attrs)}};
  }
  json::array outbound;
  for (const auto& v : t.outbound_rules) outbound.push_back(verdict_json(v));
  out["outbound_rules"] = std::move(outbound);
  json::array exports;
  for (const auto& e : t.exports) {
    json::object o{{"connector", e.connector}, {"anchor", e.anchor}};
    if (e.before) o["before"] = pending_export_json(e.anchor, *e.before, e.secrets);
    if (e.after) o["after"] = pending_export_json(e.anchor, *e.after, e.secrets);
    exports.push_back(std::move(o));
  }
  out["pending_exports"] = std::move(exports);
  json::array errors;
  for (const auto& e : t.errors) errors.push_back(json::string(e));
  out["errors"] = std::move(errors);
  return out;
}

void print_verdicts(const std::vector<runtime::RuleVerdict>& verdicts, bool with_connector) {
  for (const auto& v : verdicts) {
    std::cout << (v.in_scope ? "  in scope      " : "  not in scope  ") << "\"" << v.rule << "\" ("
              << (with_connector ? v.connector + ", " : "") << v.link_type << ", precedence "
              << v.precedence << ")\n";
  }
}

std::string values_text(const runtime::AttributeTrace& a, const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "; ") + value_text(a.type, v);
  return out;
}

void print_trace(const runtime::ObjectTrace& t) {
  const store::CsObject& o = t.object;
  std::cout << "Object " << (is_printable_text(o.anchor) ? o.anchor : "base64:" + base64(o.anchor))
            << " in " << t.connector << " (" << o.object_type << ")"
            << (o.dn.empty() ? "" : ", " + o.dn)
            << ", pending import change: " << store::to_string(o.pending) << "\n";

  std::cout << "\nInbound rules of " << t.connector << " for " << o.object_type << ":\n";
  if (t.inbound_rules.empty()) std::cout << "  (none)\n";
  print_verdicts(t.inbound_rules, false);

  std::cout << "\nJoin: " << runtime::to_string(t.outcome) << ": " << t.explanation << "\n";

  if (t.mv_before || t.mv_after) {
    std::cout << "\nMetaverse object " << (t.mv_after ? *t.mv_after : *t.mv_before) << " ("
              << t.mv_object_type << ")" << (t.mv_deleted ? ": deleted by this sync" : "") << ":\n";
    for (const auto& a : t.attributes) {
      std::cout << "  " << a.name << ": ";
      if (a.after.empty())
        std::cout << "(no value)";
      else
        std::cout << values_text(a, a.after);
      if (a.changed())
        std::cout << "   [" << (a.before.empty() ? "new" : "was: " + values_text(a, a.before))
                  << "]";
      std::cout << "\n";
      if (a.provenance)
        std::cout << "    from " << a.source_connector << " by \"" << a.provenance->rule
                  << "\" (precedence " << a.provenance->precedence << ")\n";
    }
  }

  if (!t.outbound_rules.empty()) {
    std::cout << "\nOutbound rules for " << t.mv_object_type << ":\n";
    print_verdicts(t.outbound_rules, true);
  }

  std::cout << "\nPending exports this sync would cause:\n";
  if (t.exports.empty()) std::cout << "  (none)\n";
  for (const auto& e : t.exports) {
    std::cout << "  " << e.connector << ":"
              << (e.after ? (e.before ? " (changes the one queued)" : "")
                          : " (withdraws the one queued)")
              << "\n";
    if (e.after) print_pending_export(std::cout, e.anchor, *e.after, e.secrets, "    ");
  }
  if (!t.errors.empty()) {
    std::cout << "\nErrors:\n";
    for (const auto& e : t.errors) std::cout << "  " << e << "\n";
  }
  std::cout << "\nNothing was committed: this is a preview of a Full Sync of this object.\n";
}

int trace(const Context& ctx, const TraceArgs& a) {
  auto rt = ctx.load_runtime();
  const auto* decl = rt->manifest().find_connector(a.connector);
  if (!decl)
    throw Exit{kExitUsage,
               "no connector named \"" + a.connector + "\" in " + rt->manifest().file.string()};
  runtime::ObjectTrace t;
  try {
    t = runtime::trace_object(*rt, *decl, a.anchor);
  } catch (const runtime::TraceError& e) {
    throw Exit{kExitFailed, e.what()};
  } catch (const store::StoreError& e) {
    throw Exit{kExitFailed, e.what()};
  }
  if (a.json)
    std::cout << json::serialize(trace_json(t)) << "\n";
  else
    print_trace(t);
  return kExitOk;
}

}  // namespace

void add_object_command(CLI::App& app, Context& ctx) {
  auto* object = app.add_subcommand("object", "Look into how the engine treats one object");
  object->require_subcommand(1);
  auto* trace_cmd = object->add_subcommand(
      "trace",
      "Preview a Full Sync of one connector-space object: rules in scope, the join decision, "
      "the MV values and who won them, the pending exports; commits nothing");
  auto args = std::make_shared<TraceArgs>();
  trace_cmd->add_option("--connector", args->connector, "Connector name")->required();
  trace_cmd->add_option("--anchor", args->anchor, "The object's anchor")->required();
  trace_cmd->add_flag("--json", args->json, "Print the trace as JSON");
  trace_cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return trace(ctx, *args); }; });
}

}  // namespace idsync::cli
