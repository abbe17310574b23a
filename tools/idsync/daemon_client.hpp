// How the CLI reaches a running idsyncd: through the manifest's control socket. With no daemon
// listening, commands work in this process instead (they open the store themselves); with one,
// the commands that write go through it, since the daemon holds the store.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>

#include "control_socket/unix_socket.hpp"
#include "runtime/runtime.hpp"

namespace idsync::cli {

// A connection to the daemon of this manifest, or nothing when none listens. A socket that
// exists but refuses this user ends the command (exit 1) with the reason.
std::optional<control::Connection> connect_daemon(const runtime::Runtime& rt);

// Sends one request and returns the daemon's result; progress lines go to `on_progress`. A
// refusal ends the command with the daemon's exit status and message; a daemon that goes away
// ends it with exit 1.
boost::json::object ask_daemon(
    control::Connection& daemon, const boost::json::object& request,
    const std::function<void(const boost::json::object&)>& on_progress = {});

// The result of `request`, from the daemon when one runs, else from `in_process()`; refusals of
// the in-process operation (control::Refusal) end the command the same way.
boost::json::object via_daemon_or(const runtime::Runtime& rt, const boost::json::object& request,
                                  const std::function<boost::json::object()>& in_process);

}  // namespace idsync::cli
