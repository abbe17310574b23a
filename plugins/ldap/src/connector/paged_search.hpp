// One page of a search with the simple paged results control (RFC 2696): the page's entries
// (at most `page_size`, held only until the caller has pushed them) and the cookie that asks for
// the next page. The cookie belongs to the connection: after a reconnect the search starts over.
#pragma once

#include <string>
#include <vector>

#include "connection.hpp"

namespace idsync::ldap {

// Runs `request` for the page after `cookie` (empty: the first page) and replaces `cookie` with
// the server's cookie for the next one (empty: this was the last page). Returns the result;
// transport failures throw as Connection::search does.
OperationResult search_page(Connection& connection, SearchRequest request, uint32_t page_size,
                            std::string& cookie, std::vector<Entry>& entries,
                            const std::function<bool()>& cancelled = nullptr);

}  // namespace idsync::ldap
