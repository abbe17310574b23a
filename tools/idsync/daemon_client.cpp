#include "daemon_client.hpp"

#include "cli_context.hpp"
#include "control/protocol.hpp"
#include "control/settings_operations.hpp"

namespace idsync::cli {

std::optional<control::Connection> connect_daemon(const runtime::Runtime& rt) {
  try {
    return control::connect_to(rt.manifest().control.socket);
  } catch (const control::ControlError& e) {
    throw Exit{kExitFailed, e.what()};
  }
}

boost::json::object ask_daemon(control::Connection& daemon, const boost::json::object& request,
                               const std::function<void(const boost::json::object&)>& on_progress) {
  control::Reply reply;
  try {
    reply = control::call(daemon, request, on_progress);
  } catch (const control::ControlError& e) {
    throw Exit{kExitFailed, std::string("idsyncd: ") + e.what()};
  }
  if (!reply.ok) throw Exit{reply.exit_code, reply.error};
  return reply.result;
}

boost::json::object via_daemon_or(const runtime::Runtime& rt, const boost::json::object& request,
                                  const std::function<boost::json::object()>& in_process) {
  if (auto daemon = connect_daemon(rt)) return ask_daemon(*daemon, request);
  try {
    return in_process();
  } catch (const control::Refusal& r) {
    throw Exit{r.exit_code, r.what()};
  } catch (const store::StoreError& e) {
    throw Exit{kExitFailed, e.what()};
  }
}

}  // namespace idsync::cli
