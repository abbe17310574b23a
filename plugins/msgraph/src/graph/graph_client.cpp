#include "graph/graph_client.hpp"

#include <algorithm>
#include <deque>
#include <idsync/sdk.hpp>
#include <random>
#include <unordered_map>

#include "graph/graph_error.hpp"
#include "http/retry_after.hpp"
#include "http/url.hpp"
#include "http/uuid.hpp"

namespace idsync::msgraph {
namespace {

using std::chrono::milliseconds;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Delta queries: ".../users/delta", ".../users/delta()", ".../microsoft.graph.delta()".
bool is_delta_query(std::string_view url) {
  const std::string_view path = http::url_path(url);
  for (const std::string_view suffix : {"/delta", "/delta()", ".delta", ".delta()"})
    if (ends_with(path, suffix)) return true;
  return false;
}

boost::json::value error_body(std::string_view code, std::string_view message) {
  return boost::json::object{{"error", boost::json::object{{"code", code}, {"message", message}}}};
}

// The body of a $batch POST's own answer, as JSON when it is, else as a string (or null).
boost::json::value body_value(const std::string& body) {
  if (body.empty()) return nullptr;
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return boost::json::string(body);
  return v;
}

}  // namespace

GraphClient::GraphClient(http::HttpTransport& transport, TokenProvider& tokens,
                         http::WritePacer& pacer, http::Clock& clock, GraphClientSettings settings)
    : transport_(transport),
      tokens_(tokens),
      pacer_(pacer),
      clock_(clock),
      settings_(std::move(settings)),
      jitter_seed_(std::random_device{}()) {
  graph_base_ = settings_.graph_base;
  while (!graph_base_.empty() && graph_base_.back() == '/') graph_base_.pop_back();
  origin_ = http::url_origin(graph_base_);
  if (origin_.empty())
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "the Graph endpoint \"" + graph_base_ + "\" is not an absolute URL");
}

std::string GraphClient::resolve(std::string_view path_or_url) const {
  if (path_or_url.find("://") != std::string_view::npos) {
    if (http::url_origin(path_or_url) != origin_)
      throw sdk::Error(IDSYNC_ERR_CONFIG, "refusing to follow a link to " +
                                              http::url_host(path_or_url) + ": only " + origin_ +
                                              " receives the access token");
    return std::string(path_or_url);
  }
  if (!path_or_url.empty() && path_or_url.front() == '/')
    return graph_base_ + std::string(path_or_url);
  return graph_base_ + "/" + std::string(path_or_url);
}

void GraphClient::wait(milliseconds delay) {
  if (delay.count() <= 0) return;
  clock_.sleep_for(delay);
  counters_.waited += delay;
}

http::HttpResponse GraphClient::get(std::string_view path_or_url, const Headers& extra_headers) {
  return execute("GET", resolve(path_or_url), nullptr, extra_headers, 0);
}

http::HttpResponse GraphClient::send(std::string_view method, std::string_view path,
                                     const boost::json::value* body, const Headers& extra_headers) {
  const std::string url = resolve(path);
  if (!body) return execute(method, url, nullptr, extra_headers, is_write_method(method) ? 1 : 0);
  const std::string text = boost::json::serialize(*body);
  return execute(method, url, &text, extra_headers, is_write_method(method) ? 1 : 0);
}

http::HttpResponse GraphClient::execute(std::string_view method, const std::string& url,
                                        const std::string* body, const Headers& extra_headers,
                                        int pace_writes) {
  const std::string what =
      std::string(method) + " " + http::url_host(url) + std::string(http::url_path(url));

  http::HttpRequest request;
  request.method = std::string(method);
  request.url = url;
  if (body) request.body = *body;
  const std::string request_id = http::random_uuid();
  Headers defaults = {{"Accept", "application/json"}};
  if (body) defaults.emplace_back("Content-Type", "application/json");
  if (request.method == "GET" && settings_.max_page_size > 0 && is_delta_query(url))
    defaults.emplace_back("Prefer", "odata.maxpagesize=" + std::to_string(settings_.max_page_size));
  for (const auto& [name, value] : extra_headers) {
    if (http::iequals(name, "Authorization") || http::iequals(name, "client-request-id")) continue;
    auto same = std::find_if(defaults.begin(), defaults.end(),
                             [&](const auto& h) { return http::iequals(h.first, name); });
    if (same == defaults.end())
      defaults.emplace_back(name, value);
    else if (http::iequals(name, "Prefer") && value.find("maxpagesize") == std::string::npos)
      same->second = value + ", " + same->second;
    else
      same->second = value;
  }

  http::RetryingSend how;
  how.prepare = [&](http::HttpRequest& r) {
    r.headers.emplace_back("Authorization", "Bearer " + tokens_.access_token());
    r.headers.emplace_back("client-request-id", request_id);
    r.headers.insert(r.headers.end(), defaults.begin(), defaults.end());
  };
  how.refresh_token = [&] {
    tokens_.invalidate();
    return true;
  };
  how.describe = [](const http::HttpResponse& r) {
    return describe(parse_graph_error(r), r.status);
  };
  // Graph throttles writes per application: a 429 on a write holds back every write.
  how.pace_units = pace_writes;
  how.pacer = &pacer_;
  return http::send_with_retries(transport_, std::move(request), what, settings_.retry, clock_,
                                 jitter_seed_, how, counters_);
}

std::vector<BatchResult> GraphClient::batch(const std::vector<BatchRequest>& requests) {
  const http::RetryPolicy& policy = settings_.retry;
  const int max_attempts = std::max(1, policy.max_attempts);
  const std::string url = graph_base_ + "/$batch";

  std::vector<BatchResult> results(requests.size());
  std::vector<int> attempts(requests.size(), 0);
  std::deque<std::size_t> pending;
  for (std::size_t i = 0; i < requests.size(); ++i) pending.push_back(i);
  bool answered = false;

  while (!pending.empty()) {
    // As many writes as the pace lets start now (a limit of 50 a second then sends 20, 20 and
    // 10, not 20, 20 and a wait), and a whole chunk's worth when it must wait anyway.
    const int free = pacer_.available();
    const int write_cap = std::min(static_cast<int>(kMaxBatchRequests),
                                   free > 0 ? free : std::max(1, pacer_.writes()));
    std::vector<std::size_t> chunk;
    int writes = 0;
    while (!pending.empty() && chunk.size() < kMaxBatchRequests) {
      const bool write = is_write_method(requests[pending.front()].method);
      if (write && writes >= write_cap) break;
      writes += write ? 1 : 0;
      chunk.push_back(pending.front());
      pending.pop_front();
    }
    std::vector<BatchRequest> items;
    std::vector<std::string> ids;
    for (const std::size_t i : chunk) {
      items.push_back(requests[i]);
      ids.push_back(std::to_string(i + 1));
      ++attempts[i];
    }

    std::vector<BatchResponse> responses;
    try {
      const std::string body = encode_batch(items, ids);
      const http::HttpResponse envelope = execute("POST", url, &body, {}, writes);
      if (envelope.status != 200) {
        // The batch as a whole was refused; no sub-request was carried out.
        const BatchResult refused{envelope.status, envelope.headers, body_value(envelope.body)};
        for (const std::size_t i : chunk) results[i] = refused;
        answered = true;
        continue;
      }
      responses = decode_batch(envelope.body);
    } catch (const sdk::Error& e) {
      if (!answered || e.status() != IDSYNC_RETRY) throw;
      const BatchResult not_sent{0, {}, error_body(kBatchNotSentCode, e.what())};
      for (const std::size_t i : chunk) results[i] = not_sent;
      for (const std::size_t i : pending) results[i] = not_sent;
      return results;
    }
    answered = true;

    std::unordered_map<std::string, BatchResult*> by_id;
    for (auto& r : responses) by_id.emplace(r.id, &r.result);
    std::vector<std::size_t> again;
    milliseconds delay{0};
    bool throttled_write = false;
    for (const std::size_t i : chunk) {
      const auto found = by_id.find(std::to_string(i + 1));
      if (found == by_id.end()) {
        results[i] = BatchResult{
            0,
            {},
            error_body(kBatchNoAnswerCode, "the $batch answer held no response to this request")};
        continue;
      }
      results[i] = std::move(*found->second);
      const BatchResult& r = results[i];
      const bool throttled = r.status == 429 || r.status == 503;
      if (throttled) ++counters_.throttled;
      if ((!throttled && r.status < 500) || attempts[i] >= max_attempts) continue;
      std::optional<milliseconds> retry_after;
      if (throttled) {
        if (const auto value = r.header("Retry-After"))
          retry_after = http::parse_retry_after(*value, clock_.wall_now());
        if (retry_after && *retry_after > policy.max_retry_after) continue;  // give up on it
        if (r.status == 429 && is_write_method(requests[i].method)) throttled_write = true;
      }
      delay = std::max(
          delay, retry_after.value_or(http::backoff_delay(policy, attempts[i], jitter_seed_++)));
      again.push_back(i);
    }
    if (again.empty()) continue;
    if (throttled_write) pacer_.pause_until(clock_.now() + delay);
    counters_.retries += again.size();
    wait(delay);
    // Back to the front, in request order, ahead of the requests not sent yet.
    pending.insert(pending.begin(), again.begin(), again.end());
  }
  return results;
}

}  // namespace idsync::msgraph
