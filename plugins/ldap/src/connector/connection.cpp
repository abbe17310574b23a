#include "connection.hpp"

#include <cctype>
#include <chrono>
#include <memory>

#include "attribute_description.hpp"
#include "ldap_error.hpp"

namespace idsync::ldap {

namespace {

using Clock = std::chrono::steady_clock;

struct MessageFree {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
using MessagePtr = std::unique_ptr<LDAPMessage, MessageFree>;

std::string option_text(LDAP* ld, int option) {
  char* text = nullptr;
  if (ld == nullptr || ldap_get_option(ld, option, &text) != LDAP_OPT_SUCCESS || !text) return {};
  std::string out(text);
  ldap_memfree(text);
  return out;
}

int result_code(LDAP* ld) {
  int code = LDAP_OTHER;
  if (ld) ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code);
  return code;
}

bool is_transport_failure(int code) {
  return code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR || code == LDAP_TIMEOUT;
}

// Owned C arrays of LDAPControl* built from Control values (which must outlive them).
class ControlArray {
 public:
  explicit ControlArray(const std::vector<Control>& controls) {
    storage_.resize(controls.size());
    for (size_t i = 0; i < controls.size(); ++i) {
      LDAPControl& c = storage_[i];
      c.ldctl_oid = const_cast<char*>(controls[i].oid.c_str());
      c.ldctl_value.bv_val =
          controls[i].has_value ? const_cast<char*>(controls[i].value.data()) : nullptr;
      c.ldctl_value.bv_len = controls[i].has_value ? controls[i].value.size() : 0;
      c.ldctl_iscritical = controls[i].critical ? 1 : 0;
    }
    for (auto& c : storage_) pointers_.push_back(&c);
    pointers_.push_back(nullptr);
  }
  LDAPControl** get() { return storage_.empty() ? nullptr : pointers_.data(); }

 private:
  std::vector<LDAPControl> storage_;
  std::vector<LDAPControl*> pointers_;
};

std::vector<Control> take_controls(LDAPControl** controls) {
  std::vector<Control> out;
  if (!controls) return out;
  for (LDAPControl** c = controls; *c != nullptr; ++c)
    out.push_back(Control{(*c)->ldctl_oid ? (*c)->ldctl_oid : "",
                          std::string((*c)->ldctl_value.bv_val ? (*c)->ldctl_value.bv_val : "",
                                      (*c)->ldctl_value.bv_len),
                          (*c)->ldctl_iscritical != 0, (*c)->ldctl_value.bv_val != nullptr});
  ldap_controls_free(controls);
  return out;
}

// LDAPMod arrays for add and modify, pointing into `mods` (which must outlive them).
class ModArray {
 public:
  explicit ModArray(const std::vector<Modification>& mods) {
    storage_.resize(mods.size());
    values_.resize(mods.size());
    value_ptrs_.resize(mods.size());
    for (size_t i = 0; i < mods.size(); ++i) {
      for (const auto& v : mods[i].values)
        values_[i].push_back(berval{v.size(), const_cast<char*>(v.data())});
      for (auto& bv : values_[i]) value_ptrs_[i].push_back(&bv);
      value_ptrs_[i].push_back(nullptr);
      LDAPMod& m = storage_[i];
      m.mod_op = mods[i].op | LDAP_MOD_BVALUES;
      m.mod_type = const_cast<char*>(mods[i].attribute.c_str());
      m.mod_bvalues = value_ptrs_[i].data();
    }
    for (auto& m : storage_) pointers_.push_back(&m);
    pointers_.push_back(nullptr);
  }
  LDAPMod** get() { return pointers_.data(); }

 private:
  std::vector<LDAPMod> storage_;
  std::vector<std::vector<berval>> values_;
  std::vector<std::vector<berval*>> value_ptrs_;
  std::vector<LDAPMod*> pointers_;
};

bool has_ldaps(std::string urls) {
  for (char& c : urls) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return urls.find("ldaps://") != std::string::npos;
}

}  // namespace

const Control* OperationResult::control(std::string_view oid) const {
  for (const auto& c : controls)
    if (c.oid == oid) return &c;
  return nullptr;
}

Connection::Connection(const Options& options, const sdk::Diag* diag)
    : options_(options), diag_(diag) {}

Connection::~Connection() { close(); }

void Connection::close() {
  if (ld_) ldap_unbind_ext_s(ld_, nullptr, nullptr);
  ld_ = nullptr;
  encrypted_ = false;
}

void Connection::fail_transport(int code, std::string_view what) {
  const std::string message = option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE);
  close();
  throw_ldap(code, what, message);
}

void Connection::open() {
  if (ld_) return;
  try {
    connect_and_bind();
  } catch (...) {
    close();
    throw;
  }
}

void Connection::connect_and_bind() {
  const Options& o = options_;
  // A password must never cross the network in the clear unless the admin said so; refuse
  // before connecting when no URL can be encrypted.
  const bool will_encrypt = o.start_tls || has_ldaps(o.url);
  if (!o.bind_dn.empty() && !will_encrypt && !o.allow_plaintext_bind)
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "refusing a simple bind with a password over an unencrypted connection: use "
                     "ldaps:// or start_tls, or set config.allow_plaintext_bind");

  int rc = ldap_initialize(&ld_, o.url.c_str());
  if (rc != LDAP_SUCCESS)
    throw sdk::Error(IDSYNC_ERR_CONFIG, describe(rc, "config.url \"" + o.url + "\""));
  const int version = LDAP_VERSION3;
  ldap_set_option(ld_, LDAP_OPT_PROTOCOL_VERSION, &version);
  // Referrals are reported, not chased: chasing would bind anonymously to other servers.
  ldap_set_option(ld_, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  ldap_set_option(ld_, LDAP_OPT_RESTART, LDAP_OPT_ON);
  timeval timeout{o.timeout_seconds, 0};
  ldap_set_option(ld_, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld_, LDAP_OPT_TIMEOUT, &timeout);

  const int require = o.tls_verify ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER;
  ldap_set_option(ld_, LDAP_OPT_X_TLS_REQUIRE_CERT, &require);
  const int min_tls = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
  ldap_set_option(ld_, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_tls);
  if (!o.ca_file.empty()) ldap_set_option(ld_, LDAP_OPT_X_TLS_CACERTFILE, o.ca_file.c_str());
  if (!o.ca_dir.empty()) ldap_set_option(ld_, LDAP_OPT_X_TLS_CACERTDIR, o.ca_dir.c_str());
  const int is_server = 0;
  rc = ldap_set_option(ld_, LDAP_OPT_X_TLS_NEWCTX, &is_server);
  if (rc != LDAP_OPT_SUCCESS)
    throw sdk::Error(IDSYNC_ERR_CONFIG, "cannot set up TLS with config.ca_file/config.ca_dir: " +
                                            option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE));
  if (!o.tls_verify && diag_)
    diag_->warn(
        "TLS certificate verification is off (config.tls_verify is false): the server "
        "is not authenticated");

  rc = ldap_connect(ld_);
  if (rc != LDAP_SUCCESS) fail_transport(rc, "cannot connect to " + o.url);
  if (o.start_tls && !ldap_tls_inplace(ld_)) {
    rc = ldap_start_tls_s(ld_, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) fail_transport(rc, "StartTLS with " + o.url + " failed");
  }
  encrypted_ = ldap_tls_inplace(ld_) != 0;
  if (!o.bind_dn.empty() && !encrypted_ && !o.allow_plaintext_bind)
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     "refusing a simple bind with a password: the connection to " + o.url +
                         " is not encrypted (use ldaps:// or start_tls, or set "
                         "config.allow_plaintext_bind)");

  berval credentials{o.bind_password.size(), const_cast<char*>(o.bind_password.data())};
  rc = ldap_sasl_bind_s(ld_, o.bind_dn.empty() ? nullptr : o.bind_dn.c_str(), LDAP_SASL_SIMPLE,
                        &credentials, nullptr, nullptr, nullptr);
  if (rc != LDAP_SUCCESS) {
    const std::string message = option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE);
    close();
    throw_ldap(rc,
               o.bind_dn.empty() ? std::string("anonymous bind") : "bind as \"" + o.bind_dn + "\"",
               message);
  }
}

int Connection::wait_result(int msgid, LDAPMessage** out, std::string_view what,
                            const std::function<bool()>* cancelled) {
  // Polls once a second (with `cancelled`, five times a second) so that cancellation is seen;
  // the configured timeout bounds how long the server may stay silent.
  auto last = Clock::now();
  for (;;) {
    timeval poll = cancelled ? timeval{0, 200000} : timeval{1, 0};
    const int type = ldap_result(ld_, msgid, LDAP_MSG_ONE, &poll, out);
    if (type == -1) fail_transport(result_code(ld_), what);
    if (type != 0) return type;
    if (cancelled && (*cancelled)()) {
      ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
      throw sdk::Stopped();
    }
    if (Clock::now() - last > std::chrono::seconds(options_.timeout_seconds)) {
      ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
      fail_transport(LDAP_TIMEOUT, what);
    }
  }
}

OperationResult Connection::finish(int code, LDAPMessage* result, std::string_view) {
  OperationResult out;
  out.code = code;
  if (result) {
    int rc = LDAP_SUCCESS;
    char* matched = nullptr;
    char* message = nullptr;
    char** referrals = nullptr;
    LDAPControl** controls = nullptr;
    if (ldap_parse_result(ld_, result, &rc, &matched, &message, &referrals, &controls, 0) ==
        LDAP_SUCCESS) {
      out.code = rc;
      if (matched) out.matched_dn = matched;
      if (message) out.message = message;
      if (referrals)
        for (char** r = referrals; *r; ++r) out.referrals.emplace_back(*r);
      // A referral result names where the operation should have gone: part of the message.
      for (size_t i = 0; i < out.referrals.size(); ++i)
        out.message += (i == 0 ? (out.message.empty() ? "referred to " : "; referred to ") : ", ") +
                       out.referrals[i];
      out.controls = take_controls(controls);
    }
    ldap_memfree(matched);
    ldap_memfree(message);
    ldap_memvfree(reinterpret_cast<void**>(referrals));
  }
  return out;
}

static std::string describe_search(const SearchRequest& request) {
  return "search of \"" + request.base + "\" for " + request.filter;
}

int Connection::send_search(const SearchRequest& request, OperationResult& refused) {
  open();
  ControlArray controls(request.controls);
  std::vector<char*> attrs;
  for (const auto& a : request.attributes) attrs.push_back(const_cast<char*>(a.c_str()));
  attrs.push_back(nullptr);
  int msgid = 0;
  const int rc = ldap_search_ext(ld_, request.base.c_str(), request.scope, request.filter.c_str(),
                                 request.attributes.empty() ? nullptr : attrs.data(), 0,
                                 controls.get(), nullptr, nullptr, request.size_limit, &msgid);
  if (rc == LDAP_SUCCESS) return msgid;
  if (is_transport_failure(rc)) fail_transport(rc, describe_search(request));
  refused.code = rc;
  refused.message = option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE);
  return -1;
}

void Connection::abandon(int msgid) {
  if (ld_ && msgid >= 0) ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
}

OperationResult Connection::search(const SearchRequest& request, const SearchHandlers& handlers) {
  OperationResult refused;
  const int msgid = send_search(request, refused);
  if (msgid < 0) return refused;
  return receive_search(msgid, describe_search(request), handlers);
}

OperationResult Connection::receive_search(int msgid, const std::string& what,
                                           const SearchHandlers& handlers) {
  for (;;) {
    LDAPMessage* raw = nullptr;
    const int type = wait_result(
        msgid, &raw, what,
        handlers.cancel_while_waiting && handlers.cancelled ? &handlers.cancelled : nullptr);
    MessagePtr message(raw);
    try {
      if (type == LDAP_RES_SEARCH_ENTRY) {
        // The controls first: after a one-pass read of the attributes libldap finds them no more.
        LDAPControl** entry_controls = nullptr;
        ldap_get_entry_controls(ld_, message.get(), &entry_controls);
        Entry entry = read_entry(ld_, message.get());
        if (handlers.entry) handlers.entry(std::move(entry), take_controls(entry_controls));
      } else if (type == LDAP_RES_INTERMEDIATE) {
        char* oid = nullptr;
        berval* data = nullptr;
        if (ldap_parse_intermediate(ld_, message.get(), &oid, &data, nullptr, 0) == LDAP_SUCCESS &&
            handlers.intermediate)
          handlers.intermediate(oid ? oid : "",
                                data ? std::string(data->bv_val, data->bv_len) : std::string());
        ldap_memfree(oid);
        if (data) ber_bvfree(data);
      } else if (type == LDAP_RES_SEARCH_REFERENCE) {
        // Not followed (see LDAP_OPT_REFERRALS): the handler or the policy says what they mean.
        char** refs = nullptr;
        std::vector<std::string> urls;
        if (ldap_parse_reference(ld_, message.get(), &refs, nullptr, 0) == LDAP_SUCCESS && refs)
          for (char** r = refs; *r; ++r) urls.emplace_back(*r);
        ldap_memvfree(reinterpret_cast<void**>(refs));
        if (handlers.reference)
          handlers.reference(urls);
        else if (reference_policy_)
          reference_policy_(urls);
      } else if (type == LDAP_RES_SEARCH_RESULT) {
        return finish(LDAP_SUCCESS, message.get(), what);
      }
      if (handlers.cancelled && handlers.cancelled()) throw sdk::Stopped();
    } catch (...) {
      ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
      throw;
    }
  }
}

std::optional<Entry> Connection::read(const std::string& dn,
                                      const std::vector<std::string>& attributes,
                                      const std::vector<Control>& controls) {
  std::optional<Entry> found;
  SearchRequest request{dn, LDAP_SCOPE_BASE, "(objectClass=*)", attributes, controls, 0};
  const OperationResult r = search(
      request,
      {[&](Entry&& e, const std::vector<Control>&) { found = std::move(e); }, nullptr, nullptr});
  if (r.code == LDAP_NO_SUCH_OBJECT) return std::nullopt;
  if (!r.ok()) throw_ldap(r.code, "read of \"" + dn + "\"", r.message);
  return found;
}

Entry Connection::root_dse(const std::vector<std::string>& attributes) {
  auto entry = read("", attributes);
  if (!entry) throw sdk::Error(IDSYNC_ERR_CONNECTION, "the server returned no root DSE");
  return *entry;
}

OperationResult Connection::add(const std::string& dn, const std::vector<Modification>& attrs) {
  open();
  ModArray mods(attrs);
  const int rc = ldap_add_ext_s(ld_, dn.c_str(), mods.get(), nullptr, nullptr);
  OperationResult out{rc, option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE), {}, {}, {}};
  if (is_transport_failure(rc)) close();
  return out;
}

OperationResult Connection::modify(const std::string& dn, const std::vector<Modification>& changes,
                                   const std::vector<Control>& controls) {
  open();
  ModArray mods(changes);
  ControlArray ctrls(controls);
  const int rc = ldap_modify_ext_s(ld_, dn.c_str(), mods.get(), ctrls.get(), nullptr);
  OperationResult out{rc, option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE), {}, {}, {}};
  if (is_transport_failure(rc)) close();
  return out;
}

OperationResult Connection::rename(const std::string& dn, const std::string& new_rdn,
                                   const std::string& new_superior, bool delete_old_rdn) {
  open();
  const int rc = ldap_rename_s(ld_, dn.c_str(), new_rdn.c_str(),
                               new_superior.empty() ? nullptr : new_superior.c_str(),
                               delete_old_rdn ? 1 : 0, nullptr, nullptr);
  OperationResult out{rc, option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE), {}, {}, {}};
  if (is_transport_failure(rc)) close();
  return out;
}

OperationResult Connection::remove(const std::string& dn, const std::vector<Control>& controls) {
  open();
  ControlArray ctrls(controls);
  const int rc = ldap_delete_ext_s(ld_, dn.c_str(), ctrls.get(), nullptr);
  OperationResult out{rc, option_text(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE), {}, {}, {}};
  if (is_transport_failure(rc)) close();
  return out;
}

}  // namespace idsync::ldap
