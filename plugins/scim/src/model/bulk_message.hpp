// SCIM Bulk (RFC 7644 section 3.7): building a BulkRequest within the service's maxOperations
// and maxPayloadSize, and matching a BulkResponse's operations back to the requests: by bulkId
// (every POST carries one), else by method and path, each response used once.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idsync::scim {

struct BulkItem {
  std::string method;   // POST, PUT, PATCH, DELETE
  std::string path;     // relative to the base URL: "/Users", "/Groups/9a1"
  std::string bulk_id;  // required for POST; may be empty otherwise
  std::string version;  // an ETag to send as the operation's "version"; may be empty
  std::optional<boost::json::value> data;
};

struct BulkOutcome {
  long status = 0;              // 0 when the service gave none
  std::string location;         // the resource's URL, when given
  std::string version;          // its new ETag, when given
  boost::json::value response;  // the operation's "response" (an error, or the resource)
};

// {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[…]}
boost::json::object bulk_request(const std::vector<BulkItem>& items);

// The serialized size of one item in a BulkRequest, for sizing.
size_t bulk_item_size(const BulkItem& item);

// Splits item indexes into consecutive chunks of at most `max_operations` items (0: no
// limit) whose request stays within `max_payload` bytes (0: no limit). An item too large for
// any request gets a chunk of its own; the caller sends it alone.
std::vector<std::vector<size_t>> bulk_chunks(const std::vector<BulkItem>& items,
                                             int64_t max_operations, int64_t max_payload);

// One outcome per item, in item order; nullopt for an item the response does not answer.
std::vector<std::optional<BulkOutcome>> match_bulk_response(const std::vector<BulkItem>& items,
                                                            const boost::json::value& response);

// The id at the end of a resource URL ("https://…/Users/2819c223" -> "2819c223").
std::string id_from_location(std::string_view location);

}  // namespace idsync::scim
