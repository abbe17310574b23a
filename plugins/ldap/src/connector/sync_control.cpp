#include "sync_control.hpp"

#include <lber.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace idsync::ldap {

namespace {

constexpr ber_tag_t kTagNewCookie = 0x80;      // [0] IMPLICIT OCTET STRING
constexpr ber_tag_t kTagRefreshDelete = 0xa1;  // [1] SEQUENCE
constexpr ber_tag_t kTagRefreshPresent = 0xa2;
constexpr ber_tag_t kTagIdSet = 0xa3;

struct BerFree {
  void operator()(BerElement* ber) const { ber_free(ber, 1); }
};
using BerPtr = std::unique_ptr<BerElement, BerFree>;

struct BervalFree {
  void operator()(berval* bv) const { ber_bvfree(bv); }
};

// Reads one control or message value, checking that every element is where RFC 4533 puts it
// and that nothing follows the value.
class Reader {
 public:
  Reader(std::string_view bytes, const char* what) : what_(what) {
    // Checked here: libldap's reader does not cope with an element of no bytes at all.
    if (bytes.empty()) fail("empty");
    berval in{static_cast<ber_len_t>(bytes.size()), const_cast<char*>(bytes.data())};
    ber_.reset(ber_init(&in));  // copies the bytes
    if (!ber_) throw std::runtime_error("cannot allocate a BER element");
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument(std::string("malformed ") + what_ + ": " + why);
  }

  ber_tag_t peek() {
    ber_len_t length = 0;
    return ber_peek_tag(ber_.get(), &length);
  }

  // Enters the outermost element (a SEQUENCE or a CHOICE alternative): returns its tag and
  // checks that its length is the whole rest of the value.
  ber_tag_t enter_outer() {
    ber_len_t length = 0;
    const ber_tag_t tag = ber_skip_tag(ber_.get(), &length);
    if (tag == LBER_DEFAULT) fail("truncated");
    ber_len_t remaining = 0;
    ber_get_option(ber_.get(), LBER_OPT_REMAINING_BYTES, &remaining);
    if (length != remaining) fail("the outer length does not match the value's size");
    return tag;
  }

  std::string octets(const char* field) {
    berval bv{0, nullptr};
    if (ber_get_stringbv(ber_.get(), &bv, LBER_BV_NOTERM) == LBER_DEFAULT)
      fail(std::string(field) + " is truncated");
    return std::string(bv.bv_val ? bv.bv_val : "", bv.bv_len);
  }

  Uuid uuid() {
    const std::string raw = octets("an entryUUID");
    if (raw.size() != 16) fail("an entryUUID is not 16 bytes");
    Uuid out;
    std::memcpy(out.data(), raw.data(), 16);
    return out;
  }

  bool boolean(const char* field) {
    ber_int_t value = 0;
    if (ber_get_boolean(ber_.get(), &value) != LBER_BOOLEAN)
      fail(std::string(field) + " is not a BOOLEAN");
    return value != 0;
  }

  // The optional leading cookie of a SEQUENCE.
  std::optional<std::string> optional_cookie() {
    if (peek() != LBER_OCTETSTRING) return std::nullopt;
    return octets("the cookie");
  }

  void expect_end() {
    // Also bytes too few to make a whole element, which ber_peek_tag does not see.
    ber_len_t remaining = 0;
    ber_get_option(ber_.get(), LBER_OPT_REMAINING_BYTES, &remaining);
    if (peek() != LBER_DEFAULT || remaining != 0) fail("unexpected bytes after the last field");
  }

  BerElement* get() { return ber_.get(); }

 private:
  const char* what_;
  BerPtr ber_;
};

}  // namespace

std::string encode_sync_request_refresh_only(std::string_view cookie) {
  BerPtr ber(ber_alloc_t(LBER_USE_DER));
  if (!ber) throw std::runtime_error("cannot allocate a BER element for the sync control");
  int rc = ber_printf(ber.get(), "{e", static_cast<ber_int_t>(1));  // refreshOnly
  if (rc >= 0 && !cookie.empty())
    rc = ber_printf(ber.get(), "o", cookie.data(), static_cast<ber_len_t>(cookie.size()));
  if (rc >= 0) rc = ber_printf(ber.get(), "}");
  if (rc < 0) throw std::runtime_error("cannot encode the sync request control value");
  berval* raw = nullptr;
  if (ber_flatten(ber.get(), &raw) != 0 || raw == nullptr)
    throw std::runtime_error("cannot encode the sync request control value");
  const std::unique_ptr<berval, BervalFree> flat(raw);
  return std::string(flat->bv_val, flat->bv_len);
}

SyncStateValue decode_sync_state(std::string_view bytes) {
  Reader r(bytes, "syncStateValue");
  if (r.enter_outer() != LBER_SEQUENCE) r.fail("not a SEQUENCE");
  ber_int_t state = 0;
  if (ber_get_enum(r.get(), &state) != LBER_ENUMERATED) r.fail("the state is not ENUMERATED");
  if (state < 0 || state > 3) r.fail("unknown state " + std::to_string(state));
  SyncStateValue out;
  out.state = static_cast<SyncState>(state);
  if (r.peek() != LBER_OCTETSTRING) r.fail("the entryUUID is missing");
  out.uuid = r.uuid();
  out.cookie = r.optional_cookie();
  r.expect_end();
  return out;
}

SyncInfoValue decode_sync_info(std::string_view bytes) {
  Reader r(bytes, "syncInfoValue");
  SyncInfoValue out;
  const ber_tag_t tag = r.peek();
  if (tag == kTagNewCookie) {
    out.kind = SyncInfoValue::Kind::new_cookie;
    out.cookie = r.octets("newcookie");
    r.expect_end();
    return out;
  }
  if (r.enter_outer() != tag) r.fail("unreadable");
  switch (tag) {
    case kTagRefreshDelete:
    case kTagRefreshPresent:
      out.kind = tag == kTagRefreshDelete ? SyncInfoValue::Kind::refresh_delete
                                          : SyncInfoValue::Kind::refresh_present;
      out.cookie = r.optional_cookie();
      if (r.peek() == LBER_BOOLEAN) out.refresh_done = r.boolean("refreshDone");
      break;
    case kTagIdSet: {
      out.kind = SyncInfoValue::Kind::id_set;
      out.cookie = r.optional_cookie();
      if (r.peek() == LBER_BOOLEAN) out.refresh_deletes = r.boolean("refreshDeletes");
      if (r.peek() != LBER_SET) r.fail("syncUUIDs is not a SET");
      ber_len_t length = 0;
      char* last = nullptr;
      for (ber_tag_t t = ber_first_element(r.get(), &length, &last); t != LBER_DEFAULT;
           t = ber_next_element(r.get(), &length, last)) {
        if (t != LBER_OCTETSTRING) r.fail("a syncUUID is not an OCTET STRING");
        out.uuids.push_back(r.uuid());
      }
      break;
    }
    default:
      r.fail("unknown CHOICE tag " + std::to_string(tag));
  }
  r.expect_end();
  return out;
}

SyncDoneValue decode_sync_done(std::string_view bytes) {
  Reader r(bytes, "syncDoneValue");
  if (r.enter_outer() != LBER_SEQUENCE) r.fail("not a SEQUENCE");
  SyncDoneValue out;
  out.cookie = r.optional_cookie();
  if (r.peek() == LBER_BOOLEAN) out.refresh_deletes = r.boolean("refreshDeletes");
  r.expect_end();
  return out;
}

}  // namespace idsync::ldap
