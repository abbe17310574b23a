#include "client/scim_error.hpp"

#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= 300) break;
    out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

ScimError parse_scim_error(const boost::json::value& body) {
  ScimError out;
  out.scim_type = string_member(body, "scimType").value_or("");
  out.detail = one_line(string_member(body, "detail").value_or(""));
  return out;
}

ScimError parse_scim_error(const http::HttpResponse& response) {
  if (const auto body = parse_json(response.body); body && body->is_object()) {
    ScimError e = parse_scim_error(*body);
    if (!e.scim_type.empty() || !e.detail.empty()) return e;
  }
  return ScimError{"", one_line(response.body)};
}

std::string describe(const ScimError& error, long status) {
  std::string out = std::to_string(status);
  if (!error.scim_type.empty()) out += " " + error.scim_type;
  if (!error.detail.empty()) out += ": " + error.detail;
  return out;
}

bool is_retryable(long status) { return status == 429 || status >= 500 || status == 0; }

idsync_error_kind error_kind(const ScimError& error, long status) {
  if (status == 404) return IDSYNC_ERR_UNKNOWN_OBJECT;
  if (status == 409 || same_name(error.scim_type, "uniqueness")) return IDSYNC_ERR_ALREADY_EXISTS;
  if (status == 401 || status == 403) return IDSYNC_ERR_PERMISSION;
  if (status == 412) return IDSYNC_ERR_PRECONDITION;
  if (is_retryable(status)) return IDSYNC_ERR_CONNECTION;
  return IDSYNC_ERR_INVALID_VALUE;
}

}  // namespace idsync::scim
