#include "dirsync_control.hpp"

#include <lber.h>

#include <memory>
#include <stdexcept>

namespace idsync::ldap {
namespace {

struct BerFree {
  void operator()(BerElement* ber) const { ber_free(ber, 1); }
};
using BerPtr = std::unique_ptr<BerElement, BerFree>;

struct BervalFree {
  void operator()(berval* bv) const { ber_bvfree(bv); }
};

[[noreturn]] void malformed(const std::string& why) {
  throw std::invalid_argument("malformed DirSync response control value: " + why);
}

}  // namespace

std::string encode_dirsync_request(const DirSyncRequest& request) {
  BerPtr ber(ber_alloc_t(LBER_USE_DER));
  if (!ber) throw std::runtime_error("cannot allocate a BER element for the DirSync control");
  // The wire integers are the 32-bit patterns of the unsigned values (see the header).
  const auto flags = static_cast<ber_int_t>(static_cast<int32_t>(request.flags));
  const auto max_bytes = static_cast<ber_int_t>(static_cast<int32_t>(request.max_bytes));
  if (ber_printf(ber.get(), "{iio}", flags, max_bytes, request.cookie.data(),
                 static_cast<ber_len_t>(request.cookie.size())) < 0) {
    throw std::runtime_error("cannot encode the DirSync request control value");
  }
  berval* raw = nullptr;
  if (ber_flatten(ber.get(), &raw) != 0 || raw == nullptr) {
    throw std::runtime_error("cannot encode the DirSync request control value");
  }
  const std::unique_ptr<berval, BervalFree> flat(raw);
  return std::string(flat->bv_val, flat->bv_len);
}

DirSyncResponse decode_dirsync_response(std::string_view bytes) {
  // Checked here: libldap's reader does not cope with an element of no bytes at all.
  if (bytes.empty()) malformed("empty");
  berval in{static_cast<ber_len_t>(bytes.size()), const_cast<char*>(bytes.data())};
  BerPtr ber(ber_init(&in));  // copies the bytes
  if (!ber) throw std::runtime_error("cannot allocate a BER element for the DirSync control");

  ber_len_t length = 0;
  if (ber_skip_tag(ber.get(), &length) != LBER_SEQUENCE) malformed("not a SEQUENCE");
  ber_len_t remaining = 0;
  ber_get_option(ber.get(), LBER_OPT_REMAINING_BYTES, &remaining);
  // The sequence must be the whole value: no truncation, nothing after it.
  if (length != remaining) malformed("the SEQUENCE length does not match the value's size");

  ber_int_t more = 0, unused = 0;
  if (ber_get_int(ber.get(), &more) != LBER_INTEGER) malformed("MoreResults is not an INTEGER");
  if (ber_get_int(ber.get(), &unused) != LBER_INTEGER) {
    malformed("the second field is not an INTEGER");
  }
  berval cookie{0, nullptr};
  if (ber_get_stringbv(ber.get(), &cookie, LBER_BV_NOTERM) != LBER_OCTETSTRING) {
    malformed("CookieServer is not an OCTET STRING");
  }
  ber_len_t rest = 0;
  if (ber_peek_tag(ber.get(), &rest) != LBER_DEFAULT) malformed("extra fields in the SEQUENCE");

  DirSyncResponse out;
  out.more_results = more != 0;
  out.cookie.assign(cookie.bv_val == nullptr ? "" : cookie.bv_val, cookie.bv_len);
  return out;
}

}  // namespace idsync::ldap
