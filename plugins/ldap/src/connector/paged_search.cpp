#include "paged_search.hpp"

#include <idsync/sdk.hpp>

namespace idsync::ldap {

namespace {

std::string paged_control_value(LDAP* ld, uint32_t page_size, const std::string& cookie) {
  berval cookie_bv{cookie.size(), const_cast<char*>(cookie.data())};
  berval value{0, nullptr};
  if (ldap_create_page_control_value(ld, static_cast<ber_int_t>(page_size), &cookie_bv, &value) !=
      LDAP_SUCCESS)
    throw sdk::Error(IDSYNC_ERR_INTERNAL, "cannot encode the paged results control");
  std::string out(value.bv_val, value.bv_len);
  ber_memfree(value.bv_val);
  return out;
}

std::string paged_response_cookie(LDAP* ld, const OperationResult& result) {
  const Control* c = result.control(LDAP_CONTROL_PAGEDRESULTS);
  if (!c) return {};
  LDAPControl control{
      const_cast<char*>(c->oid.c_str()), {c->value.size(), const_cast<char*>(c->value.data())}, 0};
  ber_int_t estimate = 0;
  berval cookie{0, nullptr};
  if (ldap_parse_pageresponse_control(ld, &control, &estimate, &cookie) != LDAP_SUCCESS) return {};
  std::string out(cookie.bv_val ? cookie.bv_val : "", cookie.bv_len);
  ber_memfree(cookie.bv_val);
  return out;
}

}  // namespace

PendingPage::PendingPage(Connection& connection, SearchRequest request, uint32_t page_size,
                         const std::string& cookie)
    : connection_(connection),
      what_("paged search of \"" + request.base + "\" for " + request.filter) {
  connection.open();
  request.controls.push_back(Control{LDAP_CONTROL_PAGEDRESULTS,
                                     paged_control_value(connection.handle(), page_size, cookie),
                                     true, true});
  msgid_ = connection.send_search(request, refused_);
}

PendingPage::~PendingPage() {
  if (msgid_ >= 0 && connection_.is_open()) connection_.abandon(msgid_);
}

OperationResult PendingPage::receive(std::vector<Entry>& entries, std::string& cookie,
                                     const std::function<bool()>& cancelled) {
  if (msgid_ < 0) {
    cookie.clear();
    return refused_;
  }
  const int msgid = msgid_;
  msgid_ = -1;  // read (or failed) from here on: nothing to abandon
  SearchHandlers handlers(
      [&](Entry&& e, const std::vector<Control>&) { entries.push_back(std::move(e)); }, nullptr,
      cancelled);
  // Whoever reads a page ahead waits for its reader to stop: a silent server must not delay it.
  handlers.cancel_while_waiting = true;
  const OperationResult result = connection_.receive_search(msgid, what_, handlers);
  cookie = result.ok() ? paged_response_cookie(connection_.handle(), result) : std::string();
  return result;
}

OperationResult search_page(Connection& connection, SearchRequest request, uint32_t page_size,
                            std::string& cookie, std::vector<Entry>& entries,
                            const std::function<bool()>& cancelled) {
  connection.open();
  request.controls.push_back(Control{LDAP_CONTROL_PAGEDRESULTS,
                                     paged_control_value(connection.handle(), page_size, cookie),
                                     true, true});
  const OperationResult result = connection.search(
      request, {[&](Entry&& e, const std::vector<Control>&) { entries.push_back(std::move(e)); },
                nullptr, cancelled});
  cookie = result.ok() ? paged_response_cookie(connection.handle(), result) : std::string();
  return result;
}

}  // namespace idsync::ldap
