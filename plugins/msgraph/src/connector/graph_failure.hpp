// Turns a Graph error answer into the SDK error a step stops with: the kind says what an admin
// must do (grant a permission, fix the configuration, run a full import), the message names
// the request and carries the service's code and text.
#pragma once

#include <idsync/sdk.hpp>
#include <string_view>

#include "graph/batch.hpp"
#include "graph/graph_error.hpp"
#include "http/http_types.hpp"

namespace idsync::msgraph {

// True for the codes the service answers a delta or skip token it no longer holds with (the
// delta query overview: a 40X with syncStateNotFound; resyncRequired and syncStateInvalid are
// the same request to start over).
bool is_sync_state_lost(const GraphError& error, long status);

// A $batch sub-response as a response of its own, for the shared error reading.
http::HttpResponse as_response(const BatchResult& result);

// The error a read stops with. `what` names the request ("reading users", "the delta of groups").
sdk::Error read_failure(const http::HttpResponse& response, std::string_view what);

// The kind an export result carries for a refused write (400 → INVALID_VALUE, 403 →
// PERMISSION, 404 → UNKNOWN_OBJECT, conflicts → ALREADY_EXISTS).
idsync_error_kind write_failure_kind(const GraphError& error, long status);

}  // namespace idsync::msgraph
