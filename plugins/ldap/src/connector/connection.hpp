// One LDAP connection: connect (ldaps:// or StartTLS, certificates verified unless the admin
// turned that off), bind, search with streamed results, and the write operations.
//
// Failures of the transport (server down, timeout) throw sdk::Error classified by ldap_error and
// leave the connection closed, so the next `open()` reconnects: the imports reconnect between
// pages this way. Result codes of operations are returned, not thrown: whether "no such object"
// is an error depends on the caller.
#pragma once

#include <ldap.h>

#include <functional>
#include <idsync/sdk.hpp>
#include <optional>
#include <string>
#include <vector>

#include "entry.hpp"
#include "ldap_options.hpp"

namespace idsync::ldap {

// A control to send with a request, or one the server returned.
struct Control {
  std::string oid;
  std::string value;  // BER bytes of controlValue
  bool critical = false;
  bool has_value = true;
};

struct SearchRequest {
  std::string base;
  int scope = LDAP_SCOPE_SUBTREE;
  std::string filter = "(objectClass=*)";
  std::vector<std::string> attributes;  // empty: all user attributes
  std::vector<Control> controls;
  int size_limit = 0;
};

// The final result of an operation.
struct OperationResult {
  int code = LDAP_SUCCESS;
  std::string message;  // the server's diagnostic message
  std::string matched_dn;
  std::vector<std::string> referrals;
  std::vector<Control> controls;

  bool ok() const { return code == LDAP_SUCCESS; }
  const Control* control(std::string_view oid) const;
};

// One change of a modify (or one attribute of an add).
struct Modification {
  int op = LDAP_MOD_REPLACE;  // LDAP_MOD_ADD, LDAP_MOD_DELETE, LDAP_MOD_REPLACE
  std::string attribute;
  std::vector<std::string> values;
};

// What a search hands its caller: entries, intermediate responses (RFC 4533 syncInfo),
// continuation references; and how it asks whether to stop.
struct SearchHandlers {
  using EntryHandler = std::function<void(Entry&&, const std::vector<Control>& entry_controls)>;
  using IntermediateHandler = std::function<void(const std::string& oid, const std::string& value)>;

  SearchHandlers(EntryHandler on_entry = nullptr, IntermediateHandler on_intermediate = nullptr,
                 std::function<bool()> is_cancelled = nullptr)
      : entry(std::move(on_entry)),
        intermediate(std::move(on_intermediate)),
        cancelled(std::move(is_cancelled)) {}

  EntryHandler entry;
  IntermediateHandler intermediate;
  // Polled between messages; true stops the search (abandoned) and `search` throws sdk::Stopped.
  std::function<bool()> cancelled;
  // Also poll `cancelled` while the server is silent (a few times a second), not only between
  // messages: for a reader thread whose owner waits for it to stop.
  bool cancel_while_waiting = false;
  // Continuation references (RFC 4511 4.5.3): the URLs where part of the subtree lives. Null:
  // the connection's reference policy decides.
  std::function<void(const std::vector<std::string>& urls)> reference;
};

// Decides what a continuation reference means for a search that did not handle it itself:
// throws to end the search, or returns to go on without the referred part.
using ReferencePolicy = std::function<void(const std::vector<std::string>& urls)>;

class Connection {
 public:
  Connection(const Options& options, const sdk::Diag* diag);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects and binds if not connected. Throws sdk::Error: CONNECTION/TIMEOUT when the server
  // cannot be reached, CONFIG when TLS or the bind is refused (the message says which).
  void open();
  void close();
  bool is_open() const { return ld_ != nullptr; }
  // Whether the connection is encrypted (ldaps:// or StartTLS): passwords may be sent.
  bool encrypted() const { return encrypted_; }
  // The diagnostics of the hook in progress (the connector refreshes it per call).
  void set_diag(const sdk::Diag* diag) { diag_ = diag; }
  void set_reference_policy(ReferencePolicy policy) { reference_policy_ = std::move(policy); }

  // Runs a search to its end, streaming entries to `handlers.entry`. Returns the final result;
  // throws sdk::Error when the transport fails (and closes the connection).
  OperationResult search(const SearchRequest& request, const SearchHandlers& handlers);

  // The same in two halves, so that a caller can have the server work on one search while it
  // handles the results of another (the next page while it converts this one). `send_search`
  // returns the message id, or -1 with `refused` set when the request was refused at once;
  // `receive_search` must then be called once for that id (or `abandon`).
  int send_search(const SearchRequest& request, OperationResult& refused);
  OperationResult receive_search(int msgid, const std::string& what,
                                 const SearchHandlers& handlers);
  void abandon(int msgid);
  // A base-scope read of one entry; nullopt when it does not exist. Throws on other failures.
  std::optional<Entry> read(const std::string& dn, const std::vector<std::string>& attributes,
                            const std::vector<Control>& controls = {});
  // The root DSE with the attributes asked for.
  Entry root_dse(const std::vector<std::string>& attributes);

  OperationResult add(const std::string& dn, const std::vector<Modification>& attributes);
  OperationResult modify(const std::string& dn, const std::vector<Modification>& changes,
                         const std::vector<Control>& controls = {});
  OperationResult rename(const std::string& dn, const std::string& new_rdn,
                         const std::string& new_superior, bool delete_old_rdn = true);
  OperationResult remove(const std::string& dn, const std::vector<Control>& controls = {});

  LDAP* handle() { return ld_; }

 private:
  void connect_and_bind();
  [[noreturn]] void fail_transport(int code, std::string_view what);
  OperationResult finish(int code, LDAPMessage* result, std::string_view what);
  int wait_result(int msgid, LDAPMessage** out, std::string_view what,
                  const std::function<bool()>* cancelled = nullptr);

  Options options_;
  const sdk::Diag* diag_;
  LDAP* ld_ = nullptr;
  bool encrypted_ = false;
  ReferencePolicy reference_policy_;
};

}  // namespace idsync::ldap
