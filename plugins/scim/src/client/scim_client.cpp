#include "client/scim_client.hpp"

#include <idsync/sdk.hpp>
#include <optional>
#include <random>

#include "client/scim_error.hpp"
#include "http/url.hpp"

namespace idsync::scim {

namespace {

constexpr std::string_view kScimJson = "application/scim+json";

}  // namespace

ScimClient::ScimClient(http::HttpTransport& transport, BearerToken& token, http::WritePacer& pacer,
                       http::Clock& clock, ScimClientSettings settings)
    : transport_(transport),
      token_(token),
      pacer_(pacer),
      clock_(clock),
      settings_(std::move(settings)),
      jitter_seed_(std::random_device{}()) {
  base_url_ = settings_.base_url;
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  origin_ = http::url_origin(base_url_);
  if (origin_.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "config.base_url: \"" + base_url_ + "\" is not an absolute URL");
}

std::string ScimClient::resolve(std::string_view path) const {
  if (path.find("://") != std::string_view::npos) {
    if (http::url_origin(path) != origin_)
      throw sdk::Error(IDSYNC_ERR_CONFIG, "refusing to send a request to " + http::url_host(path) +
                                              ": only " + origin_ + " receives the bearer token");
    return std::string(path);
  }
  if (!path.empty() && path.front() == '/') return base_url_ + std::string(path);
  return base_url_ + "/" + std::string(path);
}

std::string ScimClient::relative_path(std::string_view url) const {
  if (url.substr(0, base_url_.size()) == base_url_)
    return std::string(url.substr(base_url_.size()));
  return std::string(http::url_path(url));
}

http::HttpResponse ScimClient::send(std::string_view method, std::string_view path,
                                    const boost::json::value* body, const Headers& extra_headers,
                                    int pace_units) {
  http::HttpRequest request;
  request.method = std::string(method);
  request.url = resolve(path);
  if (body) request.body = boost::json::serialize(*body);
  const bool write = request.method != "GET";
  const std::string what =
      request.method + " " + http::url_host(request.url) + std::string(http::url_path(request.url));

  http::RetryingSend how;
  how.prepare = [&](http::HttpRequest& r) {
    r.headers = {{"Authorization", "Bearer " + token_.access_token()},
                 {"Accept", std::string(kScimJson)}};
    if (body) r.headers.emplace_back("Content-Type", std::string(kScimJson));
    for (const auto& header : extra_headers)
      if (!http::iequals(header.first, "Authorization")) r.headers.push_back(header);
  };
  // A static bearer token cannot be renewed; an OAuth one can.
  how.refresh_token = [&] { return token_.invalidate(); };
  how.describe = [](const http::HttpResponse& r) {
    return describe(parse_scim_error(r), r.status);
  };
  // Every write is paced, a Bulk request by its operations; a throttled write holds back every
  // write of this connector.
  how.pace_units = write ? std::max(1, pace_units) : 0;
  how.pacer = &pacer_;
  return http::send_with_retries(transport_, std::move(request), what, settings_.retry, clock_,
                                 jitter_seed_, how, counters_);
}

}  // namespace idsync::scim
