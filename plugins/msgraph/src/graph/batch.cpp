#include "graph/batch.hpp"

#include <idsync/sdk.hpp>

#include "http/http_types.hpp"

namespace idsync::msgraph {
namespace {

[[noreturn]] void malformed(const std::string& what) {
  throw sdk::Error(IDSYNC_ERR_CONNECTION, "malformed $batch response: " + what, IDSYNC_RETRY);
}

}  // namespace

std::optional<std::string> BatchResult::header(std::string_view name) const {
  return http::find_header(headers, name);
}

bool is_write_method(std::string_view method) {
  return !http::iequals(method, "GET") && !http::iequals(method, "HEAD");
}

std::string encode_batch(const std::vector<BatchRequest>& requests,
                         const std::vector<std::string>& ids) {
  boost::json::array list;
  list.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const BatchRequest& r = requests[i];
    boost::json::object item{{"id", i < ids.size() ? ids[i] : std::to_string(i + 1)},
                             {"method", r.method},
                             {"url", r.url}};
    if (r.body) {
      item["headers"] = boost::json::object{{"Content-Type", "application/json"}};
      item["body"] = *r.body;
    }
    list.emplace_back(std::move(item));
  }
  return boost::json::serialize(boost::json::object{{"requests", std::move(list)}});
}

std::vector<BatchResponse> decode_batch(std::string_view body) {
  boost::json::error_code ec;
  const boost::json::value root = boost::json::parse(body, ec);
  if (ec) malformed("not JSON (" + ec.message() + ")");
  const auto* responses = root.is_object() ? root.get_object().if_contains("responses") : nullptr;
  if (!responses || !responses->is_array()) malformed("no \"responses\" array");

  std::vector<BatchResponse> out;
  out.reserve(responses->get_array().size());
  for (const auto& item : responses->get_array()) {
    if (!item.is_object()) malformed("a sub-response is not an object");
    const auto& o = item.get_object();
    BatchResponse r;
    const auto* id = o.if_contains("id");
    if (id && id->is_string())
      r.id = std::string(id->get_string());
    else if (id && id->is_int64())
      r.id = std::to_string(id->get_int64());
    else
      malformed("a sub-response has no id");
    const auto* status = o.if_contains("status");
    if (status && status->is_int64())
      r.result.status = static_cast<long>(status->get_int64());
    else if (status && status->is_uint64())
      r.result.status = static_cast<long>(status->get_uint64());
    else
      malformed("sub-response " + r.id + " has no numeric status");
    if (const auto* headers = o.if_contains("headers"); headers && headers->is_object())
      for (const auto& [name, value] : headers->get_object())
        r.result.headers.emplace_back(std::string(name), value.is_string()
                                                             ? std::string(value.get_string())
                                                             : boost::json::serialize(value));
    if (const auto* b = o.if_contains("body")) r.result.body = *b;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace idsync::msgraph
