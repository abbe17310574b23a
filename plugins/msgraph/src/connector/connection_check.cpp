#include "connection_check.hpp"

#include <functional>
#include <string>
#include <vector>

#include "graph_failure.hpp"

namespace idsync::msgraph {

namespace {

// Runs one check; a failure is noted and the next check still runs. A failure to sign in or
// to reach the service at all makes the later checks pointless, so it stops them.
bool check(std::vector<std::string>& problems, const sdk::Diag& diag, const std::string& what,
           const std::function<void()>& body) {
  try {
    body();
    diag.info(what + ": ok");
    return true;
  } catch (const sdk::Error& e) {
    problems.push_back(what + ": " + e.what());
    return e.kind() != IDSYNC_ERR_PERMISSION && e.kind() != IDSYNC_ERR_CONNECTION &&
           e.kind() != IDSYNC_ERR_TIMEOUT && e.kind() != IDSYNC_ERR_CONFIG;
  }
}

void expect_ok(GraphClient& graph, const std::string& path, const std::string& what) {
  const http::HttpResponse r = graph.get(path);
  if (r.status != 200) throw read_failure(r, what);
}

}  // namespace

void check_connection(GraphClient& graph, const GraphSchema& schema, const sdk::Diag& diag) {
  std::vector<std::string> problems;
  const bool reachable = check(problems, diag, "reading one user id", [&] {
    expect_ok(graph, "/users?$select=id&$top=1", "reading users");
  });
  if (reachable) {
    for (const ObjectTypeSchema& type : schema.types()) {
      const std::string path = "/" + type.name() + "s";
      check(problems, diag, "reading " + type.name() + "s with the configured properties", [&] {
        expect_ok(graph, path + "?$select=" + type.select() + "&$top=1", "reading " + path);
      });
      check(problems, diag, "starting the delta of " + type.name() + "s", [&] {
        expect_ok(graph, path + "/delta?$select=id&$deltatoken=latest", "the delta of " + path);
      });
    }
  }
  if (problems.empty()) return;
  std::string message = std::to_string(problems.size()) + " check(s) failed:";
  for (const std::string& p : problems) message += "\n  - " + p;
  throw sdk::Error(IDSYNC_ERR_PRECONDITION, message, IDSYNC_ERROR);
}

}  // namespace idsync::msgraph
