#include "connector/scim_failure.hpp"

#include "client/scim_error.hpp"

namespace idsync::scim {

sdk::Error read_failure(const http::HttpResponse& response, std::string_view what) {
  const ScimError error = parse_scim_error(response);
  const long status = response.status;
  idsync_error_kind kind = error_kind(error, status);
  // A refused read is the configuration's fault (base URL, endpoint), not a value's.
  if (kind == IDSYNC_ERR_INVALID_VALUE || kind == IDSYNC_ERR_UNKNOWN_OBJECT)
    kind = IDSYNC_ERR_CONFIG;
  return sdk::Error(kind, std::string(what) + ": " + describe(error, status),
                    is_retryable(status) ? IDSYNC_RETRY : IDSYNC_ERROR);
}

}  // namespace idsync::scim
