// idsync manifest check: every problem of the manifest, with JSON paths.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "manifest/diagnostics.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

int check_manifest(const Context& ctx, bool as_json) {
  std::vector<manifest::Diagnostic> problems;
  std::unique_ptr<runtime::Runtime> rt;
  std::string file = ctx.manifest_path().string();
  try {
    rt = std::make_unique<runtime::Runtime>(ctx.manifest_path());
    problems = rt->check_connectors();
  } catch (const manifest::ManifestError& e) {
    problems = e.diagnostics();
  }
  if (as_json) {
    json::array list;
    for (const auto& d : problems) {
      json::object o{{"path", d.path}, {"message", d.message}};
      if (d.line) {
        o["line"] = d.line;
        o["column"] = d.column;
      }
      list.push_back(std::move(o));
    }
    std::cout << json::serialize(json::object{
                     {"manifest", file}, {"ok", problems.empty()}, {"problems", std::move(list)}})
              << "\n";
  } else if (problems.empty()) {
    std::cout << file << ": OK (" << rt->manifest().connectors.size() << " connectors, "
              << rt->registry().plugins().size() << " plugins loaded)\n";
    for (const auto& r : rt->registry().refused())
      std::cout << "  note: plugin refused: " << r.to_string() << "\n";
  } else {
    std::cerr << manifest::ManifestError(file, problems).what() << "\n";
  }
  return problems.empty() ? kExitOk : kExitUsage;
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
