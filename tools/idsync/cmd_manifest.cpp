// idsync manifest check: every problem of the manifest, with JSON paths, and of the sync rules
// in the manifest's rules folder, with their files and JSON paths. --json prints
//   {"manifest": file, "ok": bool, "problems": [{"path", "message", "line"?, "column"?}],
//    "rules_problems": [{"file", "path", "message", "line"?, "column"?}]}
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "manifest/diagnostics.hpp"
#include "sync_rules/rules_error.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

json::object diagnostic_json(const manifest::Diagnostic& d) {
  json::object o{{"path", d.path}, {"message", d.message}};
  if (d.line) {
    o["line"] = d.line;
    o["column"] = d.column;
  }
  return o;
}

int check_manifest(const Context& ctx, bool as_json) {
  std::vector<manifest::Diagnostic> problems;
  std::vector<sync_rules::RuleDiagnostic> rules_problems;
  std::unique_ptr<runtime::Runtime> rt;
  std::string file = ctx.manifest_path().string();
  try {
    rt = std::make_unique<runtime::Runtime>(ctx.manifest_path());
    problems = rt->check_connectors();
    // Rules name connectors, so they can only be checked against a manifest that loaded.
    rules_problems = rt->check_rules();
  } catch (const manifest::ManifestError& e) {
    problems = e.diagnostics();
  }
  const bool ok = problems.empty() && rules_problems.empty();
  if (as_json) {
    json::array list;
    for (const auto& d : problems) list.push_back(diagnostic_json(d));
    json::array rules_list;
    for (const auto& d : rules_problems) {
      json::object o = diagnostic_json(d.diagnostic);
      o["file"] = d.file;
      rules_list.push_back(std::move(o));
    }
    std::cout << json::serialize(json::object{{"manifest", file},
                                              {"ok", ok},
                                              {"problems", std::move(list)},
                                              {"rules_problems", std::move(rules_list)}})
              << "\n";
  } else if (ok) {
    std::cout << file << ": OK (" << rt->manifest().connectors.size() << " connectors, "
              << rt->registry().plugins().size() << " plugins loaded)\n";
    for (const auto& r : rt->registry().refused())
      std::cout << "  note: plugin refused: " << r.to_string() << "\n";
  } else {
    if (!problems.empty()) std::cerr << manifest::ManifestError(file, problems).what() << "\n";
    if (!rules_problems.empty()) std::cerr << sync_rules::RulesError(rules_problems).what() << "\n";
  }
  return ok ? kExitOk : kExitUsage;
}

}  // namespace

void add_manifest_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("manifest", "Work with the host manifest");
  cmd->require_subcommand(1);
  auto* check = cmd->add_subcommand(
      "check", "Check the manifest and every connector's config against its plugin");
  auto as_json = std::make_shared<bool>(false);
  check->add_flag("--json", *as_json, "Print JSON");
  check->callback(
      [&ctx, as_json] { ctx.action = [&ctx, as_json] { return check_manifest(ctx, *as_json); }; });
}

}  // namespace idsync::cli
