#include "auth/token_error.hpp"

#include <boost/json.hpp>

namespace idsync::msgraph {
namespace {

std::string string_field(const boost::json::object& o, std::string_view name) {
  if (const auto* v = o.if_contains(name); v && v->is_string()) return std::string(v->as_string());
  return {};
}

std::string first_line(std::string_view text) {
  text = text.substr(0, text.find_first_of("\r\n"));
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

TokenEndpointError parse_token_error(const http::HttpResponse& response) {
  TokenEndpointError out;
  boost::json::error_code ec;
  const boost::json::value body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object()) return out;
  const auto& o = body.get_object();
  out.error = string_field(o, "error");
  out.description = first_line(string_field(o, "error_description"));
  out.trace_id = string_field(o, "trace_id");
  if (const auto* codes = o.if_contains("error_codes"); codes && codes->is_array())
    for (const auto& c : codes->get_array())
      if (c.is_int64()) out.codes.push_back(c.get_int64());
  return out;
}

TokenFailure classify_token_failure(long status, const TokenEndpointError& error) {
  if (status == 429 || status >= 500 || error.error == "temporarily_unavailable" ||
      error.error == "server_error")
    return TokenFailure::kRetry;
  if (error.error == "invalid_client" || error.error == "unauthorized_client")
    return TokenFailure::kPermission;
  // invalid_request covers an unknown tenant (AADSTS90002) and a malformed authority or form.
  if (error.error == "invalid_request" || error.error == "invalid_scope" ||
      error.error == "invalid_resource" || error.error == "unsupported_grant_type")
    return TokenFailure::kConfig;
  return status == 401 || status == 403 ? TokenFailure::kPermission : TokenFailure::kConfig;
}

}  // namespace idsync::msgraph
