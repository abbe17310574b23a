#include "client/scim_client.hpp"

#include <idsync/sdk.hpp>
#include <optional>
#include <random>

#include "client/scim_error.hpp"
#include "http/retry_after.hpp"
#include "http/url.hpp"

namespace idsync::scim {

namespace {

using std::chrono::milliseconds;

constexpr std::string_view kScimJson = "application/scim+json";

std::string seconds_text(milliseconds d) { return std::to_string((d.count() + 999) / 1000) + " s"; }

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
  const http::RetryPolicy& policy = settings_.retry;
  const int max_attempts = std::max(1, policy.max_attempts);
  http::HttpRequest request;
  request.method = std::string(method);
  request.url = resolve(path);
  if (body) request.body = boost::json::serialize(*body);
  const bool write = request.method != "GET";
  const std::string what =
      request.method + " " + http::url_host(request.url) + std::string(http::url_path(request.url));

  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    request.headers = {{"Authorization", "Bearer " + token_.access_token()},
                       {"Accept", std::string(kScimJson)}};
    if (body) request.headers.emplace_back("Content-Type", std::string(kScimJson));
    for (const auto& header : extra_headers)
      if (!http::iequals(header.first, "Authorization")) request.headers.push_back(header);

    // Paced once signed in, right before sending; counted from the answer (settle), so that
    // the service, which counts arrivals, never sees more than the pace.
    const int units = std::max(1, pace_units);
    if (write) pacer_.acquire(units);
    http::HttpResponse response;
    try {
      response = transport_.send(request);
      if (write) pacer_.settle(units);
    } catch (const sdk::Error& e) {
      if (write) pacer_.settle(units);
      if (e.status() != IDSYNC_RETRY) throw;
      if (attempt >= max_attempts)
        throw sdk::Error(
            e.kind(), what + " failed after " + std::to_string(attempt) + " attempts: " + e.what(),
            IDSYNC_RETRY);
      clock_.sleep_for(http::backoff_delay(policy, attempt, jitter_seed_++));
      continue;
    }
    if (response.status == 401 && !refreshed && token_.invalidate()) {
      refreshed = true;
      --attempt;  // a new token: this try does not count
      continue;
    }
    const bool throttled = response.status == 429 || response.status == 503;
    if (!throttled && response.status < 500) return response;

    std::optional<milliseconds> retry_after;
    if (throttled)
      if (const auto value = response.header("Retry-After"))
        retry_after = http::parse_retry_after(*value, clock_.wall_now());
    if (retry_after && *retry_after > policy.max_retry_after)
      throw sdk::Error(IDSYNC_ERR_CONNECTION,
                       what + ": the service asks to wait " + seconds_text(*retry_after) +
                           " (Retry-After), longer than the limit of " +
                           seconds_text(policy.max_retry_after),
                       IDSYNC_RETRY);
    if (attempt >= max_attempts)
      throw sdk::Error(response.status == 504 ? IDSYNC_ERR_TIMEOUT : IDSYNC_ERR_CONNECTION,
                       what + " failed after " + std::to_string(attempt) +
                           " attempts: " + describe(parse_scim_error(response), response.status),
                       IDSYNC_RETRY);
    const milliseconds delay =
        retry_after.value_or(http::backoff_delay(policy, attempt, jitter_seed_++));
    // A throttled write holds back every write of this connector, not only this one.
    if (response.status == 429 && write) pacer_.pause_until(clock_.now() + delay);
    clock_.sleep_for(delay);
  }
}

}  // namespace idsync::scim
