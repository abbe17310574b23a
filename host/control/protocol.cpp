#include "control/protocol.hpp"

#include <boost/json.hpp>

namespace idsync::control {

namespace json = boost::json;

std::string progress_line(const json::object& progress) {
  return json::serialize(json::object{{"progress", progress}});
}

std::string result_line(const json::object& result) {
  return json::serialize(json::object{{"ok", true}, {"result", result}});
}

std::string error_line(int exit_code, const std::string& message) {
  return json::serialize(json::object{{"ok", false}, {"exit", exit_code}, {"error", message}});
}

Reply call(Connection& daemon, const json::object& request,
           const std::function<void(const json::object&)>& on_progress,
           std::chrono::milliseconds idle) {
  daemon.write_line(json::serialize(request));
  for (;;) {
    const auto line = daemon.read_line(idle);
    if (!line) throw ControlError("the daemon closed the connection without an answer");
    json::error_code ec;
    const json::value v = json::parse(*line, ec);
    if (ec || !v.is_object()) throw ControlError("the daemon's answer is not JSON");
    const json::object& o = v.get_object();
    if (const json::value* p = o.if_contains("progress")) {
      if (on_progress && p->is_object()) on_progress(p->get_object());
      continue;
    }
    const json::value* ok = o.if_contains("ok");
    if (!ok || !ok->is_bool()) throw ControlError("the daemon's answer has no outcome");
    Reply reply;
    reply.ok = ok->get_bool();
    if (reply.ok) {
      if (const json::value* r = o.if_contains("result"); r && r->is_object())
        reply.result = r->get_object();
    } else {
      if (const json::value* e = o.if_contains("exit"); e && e->is_int64())
        reply.exit_code = static_cast<int>(e->get_int64());
      if (const json::value* e = o.if_contains("error"); e && e->is_string())
        reply.error = e->get_string().c_str();
    }
    return reply;
  }
}

}  // namespace idsync::control
