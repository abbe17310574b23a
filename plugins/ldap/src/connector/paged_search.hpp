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

// A page requested but not yet read: the server prepares it while the caller works on the
// previous one. Abandoned if dropped unread.
class PendingPage {
 public:
  PendingPage(Connection& connection, SearchRequest request, uint32_t page_size,
              const std::string& cookie);
  ~PendingPage();
  PendingPage(const PendingPage&) = delete;
  PendingPage& operator=(const PendingPage&) = delete;

  // Reads the page into `entries`; sets `cookie` as search_page does. Once only. `cancelled` is
  // polled between messages and while the server is silent.
  OperationResult receive(std::vector<Entry>& entries, std::string& cookie,
                          const std::function<bool()>& cancelled = nullptr);

 private:
  Connection& connection_;
  std::string what_;
  int msgid_ = -1;
  OperationResult refused_;
};

}  // namespace idsync::ldap
