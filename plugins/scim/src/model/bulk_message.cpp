#include "model/bulk_message.hpp"

#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

constexpr std::string_view kBulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

boost::json::object operation(const BulkItem& item) {
  boost::json::object op{{"method", item.method}, {"path", item.path}};
  if (!item.bulk_id.empty()) op["bulkId"] = item.bulk_id;
  if (!item.version.empty()) op["version"] = item.version;
  if (item.data) op["data"] = *item.data;
  return op;
}

long status_of(const boost::json::value& op) {
  const auto* s = member(op, "status");
  if (!s) return 0;
  if (s->is_int64()) return static_cast<long>(s->get_int64());
  if (s->is_string()) {
    // "201", or the older "201 Created" form
    long n = 0;
    for (const char c : s->get_string()) {
      if (c < '0' || c > '9') break;
      n = n * 10 + (c - '0');
    }
    return n;
  }
  if (const auto* code = member(*s, "code")) return code->is_int64() ? code->get_int64() : 0;
  return 0;
}

// The path a response's location stands for, for matching by path: from the last "/Xs/" on.
bool location_matches(std::string_view location, std::string_view path) {
  return !location.empty() && location.size() >= path.size() &&
         location.substr(location.size() - path.size()) == path;
}

}  // namespace

boost::json::object bulk_request(const std::vector<BulkItem>& items) {
  boost::json::array ops;
  for (const BulkItem& item : items) ops.push_back(operation(item));
  return boost::json::object{{"schemas", boost::json::array{kBulkRequest}}, {"Operations", ops}};
}

size_t bulk_item_size(const BulkItem& item) {
  return boost::json::serialize(operation(item)).size() + 1;  // and its comma
}

std::vector<std::vector<size_t>> bulk_chunks(const std::vector<BulkItem>& items,
                                             int64_t max_operations, int64_t max_payload) {
  const size_t envelope = boost::json::serialize(bulk_request({})).size();
  std::vector<std::vector<size_t>> chunks;
  std::vector<size_t> chunk;
  size_t size = envelope;
  for (size_t i = 0; i < items.size(); ++i) {
    const size_t item_size = bulk_item_size(items[i]);
    const bool full_by_count =
        max_operations > 0 && chunk.size() >= static_cast<size_t>(max_operations);
    const bool full_by_size =
        max_payload > 0 && size + item_size > static_cast<size_t>(max_payload);
    if (!chunk.empty() && (full_by_count || full_by_size)) {
      chunks.push_back(std::move(chunk));
      chunk.clear();
      size = envelope;
    }
    chunk.push_back(i);
    size += item_size;
  }
  if (!chunk.empty()) chunks.push_back(std::move(chunk));
  return chunks;
}

std::vector<std::optional<BulkOutcome>> match_bulk_response(const std::vector<BulkItem>& items,
                                                            const boost::json::value& response) {
  std::vector<std::optional<BulkOutcome>> out(items.size());
  const auto* ops = member(response, "Operations");
  if (!ops || !ops->is_array()) return out;
  std::vector<bool> used(ops->get_array().size(), false);
  auto outcome = [](const boost::json::value& op) {
    BulkOutcome o;
    o.status = status_of(op);
    o.location = string_member(op, "location").value_or("");
    o.version = string_member(op, "version").value_or("");
    if (const auto* r = member(op, "response")) o.response = *r;
    return o;
  };
  const auto& list = ops->get_array();
  // First by bulkId, which is unambiguous.
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].bulk_id.empty()) continue;
    for (size_t j = 0; j < list.size(); ++j)
      if (!used[j] && string_member(list[j], "bulkId") == items[i].bulk_id) {
        used[j] = true;
        out[i] = outcome(list[j]);
        break;
      }
  }
  // Then by method and path (or location), in order.
  for (size_t i = 0; i < items.size(); ++i) {
    if (out[i]) continue;
    for (size_t j = 0; j < list.size(); ++j) {
      if (used[j]) continue;
      const auto method = string_member(list[j], "method").value_or("");
      if (!same_name(method, items[i].method)) continue;
      const auto path = string_member(list[j], "path");
      const auto location = string_member(list[j], "location").value_or("");
      if ((path && *path == items[i].path) || location_matches(location, items[i].path)) {
        used[j] = true;
        out[i] = outcome(list[j]);
        break;
      }
    }
  }
  return out;
}

std::string id_from_location(std::string_view location) {
  location = location.substr(0, location.find_first_of("?#"));
  while (!location.empty() && location.back() == '/') location.remove_suffix(1);
  const auto slash = location.rfind('/');
  return std::string(slash == std::string_view::npos ? location : location.substr(slash + 1));
}

}  // namespace idsync::scim
