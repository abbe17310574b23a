// The sdk::Error a read stops with when the service refuses it: the kind says what an admin
// must do (grant a permission, fix the configuration), the message names the request and
// carries the service's scimType and detail.
#pragma once

#include <idsync/sdk.hpp>
#include <string_view>

#include "http/http_types.hpp"

namespace idsync::scim {

// `what` names the request ("reading /Users").
sdk::Error read_failure(const http::HttpResponse& response, std::string_view what);

}  // namespace idsync::scim
