// idsync connector test: creates a connector from the manifest and runs its test hook, the way
// an admin checks a new connector before its first run: can it reach the system, bind, see its
// partitions, use its delta mechanism. Prints what the connector says is missing.
#include <boost/json.hpp>
#include <idsync/sdk.hpp>
#include <iostream>

#include "commands.hpp"
#include "common/diag_collector.hpp"
#include "runtime/connector_instance.hpp"

namespace idsync::cli {

namespace json = boost::json;

int test_connector(const Context& ctx, const std::string& name, bool as_json) {
  auto rt = ctx.load_runtime();
  const auto* decl = rt->manifest().find_connector(name);
  if (!decl) {
    std::string names;
    for (const auto& c : rt->manifest().connectors) names += (names.empty() ? "" : ", ") + c.name;
    throw Exit{kExitUsage, "no connector named \"" + name + "\" in " +
                               rt->manifest().file.string() +
                               " (connectors: " + (names.empty() ? "none" : names) + ")"};
  }
  bool ok = false;
  std::string message;
  std::string kind;
  try {
    auto instance = rt->create_connector(*decl);
    const idsync_connector_type& type = instance->type().raw();
    if (!type.test_connection) {
      message = "connector type \"" + instance->type().id() + "\" offers no connection test";
      kind = "unsupported";
    } else {
      common::DiagCollector diag(decl->name);
      const idsync_status status = type.test_connection(instance->handle(), diag.diag());
      ok = status == IDSYNC_OK;
      if (!ok) {
        message = diag.has_error() ? diag.error_message() : "the test failed without a reason";
        kind = sdk::error_kind_name(diag.error_kind());
      }
    }
  } catch (const runtime::ConnectorCreateError& e) {
    message = e.what();
    kind = sdk::error_kind_name(e.kind());
  }
  if (as_json) {
    json::object out{{"connector", decl->name}, {"ok", ok}};
    if (!ok) {
      out["error_kind"] = kind;
      out["message"] = message;
    }
    std::cout << json::serialize(out) << "\n";
  } else if (ok) {
    std::cout << decl->name << ": the connection test passed\n";
  } else {
    std::cout << decl->name << ": the connection test failed (" << kind << "): " << message << "\n";
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace idsync::cli
