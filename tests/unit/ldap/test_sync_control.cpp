// The RFC 4533 content-sync messages (section 2): the request control's exact DER bytes, the
// syncStateValue, every syncInfoValue alternative and the syncDoneValue decoded from BER built
// by hand, round trips through lber's own encoder, and malformed values rejected with
// std::invalid_argument.
#include <lber.h>

#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sync_control.hpp"

using namespace idsync::ldap;

namespace {

std::string bytes(std::initializer_list<unsigned char> list) {
  std::string out;
  for (const unsigned char b : list) out += static_cast<char>(b);
  return out;
}

Uuid uuid_of(unsigned char first) {
  Uuid u{};
  for (size_t i = 0; i < u.size(); ++i) u[i] = static_cast<uint8_t>(first + i);
  return u;
}

std::string raw(const Uuid& u) { return std::string(reinterpret_cast<const char*>(u.data()), 16); }

// An OCTET STRING (universal 4) of a short value, definite short-form length.
std::string octets(const std::string& value, unsigned char tag = 0x04) {
  REQUIRE(value.size() < 128);
  return bytes({tag, static_cast<unsigned char>(value.size())}) + value;
}

std::string wrap(unsigned char tag, const std::string& content) {
  REQUIRE(content.size() < 128);
  return bytes({tag, static_cast<unsigned char>(content.size())}) + content;
}

const std::string kTrue = bytes({0x01, 0x01, 0xff});
const std::string kFalse = bytes({0x01, 0x01, 0x00});

struct BerFree {
  void operator()(BerElement* ber) const { ber_free(ber, 1); }
};

// Encodes with lber (an encoder independent of the code under test); `fmt` as ber_printf.
template <class... Args>
std::string lber_encode(const char* fmt, Args... args) {
  std::unique_ptr<BerElement, BerFree> ber(ber_alloc_t(LBER_USE_DER));
  REQUIRE(ber);
  REQUIRE(ber_printf(ber.get(), fmt, args...) >= 0);
  berval* flat = nullptr;
  REQUIRE(ber_flatten(ber.get(), &flat) == 0);
  std::string out(flat->bv_val, flat->bv_len);
  ber_bvfree(flat);
  return out;
}

}  // namespace

TEST_CASE("sync request control: refreshOnly without a cookie is exactly SEQUENCE { ENUM 1 }") {
  CHECK(encode_sync_request_refresh_only("") == bytes({0x30, 0x03, 0x0a, 0x01, 0x01}));
}

TEST_CASE("sync request control: the cookie follows the mode and reloadHint FALSE is omitted") {
  const std::string cookie = "rid=000,csn=20240101000000.000000Z#000000#000#000000";
  const std::string expected =
      wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(cookie));  // mode refreshOnly(1), cookie
  CHECK(encode_sync_request_refresh_only(cookie) == expected);
}

TEST_CASE("sync request control: binary and long cookies use DER lengths and keep every byte") {
  std::string cookie(200, '\0');
  for (size_t i = 0; i < cookie.size(); ++i) cookie[i] = static_cast<char>(i * 7);
  const std::string encoded = encode_sync_request_refresh_only(cookie);
  // 3 (ENUMERATED) + 3 (OCTET STRING header, long form) + 200 = 206 = 0xce
  const std::string expected =
      bytes({0x30, 0x81, 0xce, 0x0a, 0x01, 0x01, 0x04, 0x81, 0xc8}) + cookie;
  CHECK(encoded == expected);

  // And lber reads it back as the same structure.
  berval in{static_cast<ber_len_t>(encoded.size()), const_cast<char*>(encoded.data())};
  std::unique_ptr<BerElement, BerFree> ber(ber_init(&in));
  REQUIRE(ber);
  ber_int_t mode = -1;
  berval read{0, nullptr};
  REQUIRE(ber_scanf(ber.get(), "{em}", &mode, &read) != LBER_ERROR);
  CHECK(mode == 1);
  CHECK(std::string(read.bv_val, read.bv_len) == cookie);
}

TEST_CASE("syncStateValue: each state, the 16-byte entryUUID and the optional cookie") {
  const Uuid u = uuid_of(0x10);
  SECTION("add without a cookie") {
    const std::string ber = wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(raw(u)));
    CHECK(ber.substr(0, 2) == bytes({0x30, 0x15}));
    const SyncStateValue v = decode_sync_state(ber);
    CHECK(v.state == SyncState::add);
    CHECK(v.uuid == u);
    CHECK_FALSE(v.cookie);
  }
  SECTION("present, modify and delete, with a cookie") {
    const std::pair<unsigned char, SyncState> states[] = {
        {0, SyncState::present}, {2, SyncState::modify}, {3, SyncState::remove}};
    for (const auto& [code, state] : states) {
      const std::string ber =
          wrap(0x30, bytes({0x0a, 0x01, code}) + octets(raw(u)) + octets("cookie"));
      const SyncStateValue v = decode_sync_state(ber);
      CHECK(v.state == state);
      CHECK(v.uuid == u);
      REQUIRE(v.cookie);
      CHECK(*v.cookie == "cookie");
    }
  }
  SECTION("a present but empty cookie is kept as empty, not as missing") {
    const SyncStateValue v =
        decode_sync_state(wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(raw(u)) + octets("")));
    REQUIRE(v.cookie);
    CHECK(v.cookie->empty());
  }
  SECTION("round trip through lber's encoder") {
    const std::string ber =
        lber_encode("{eoo}", static_cast<ber_int_t>(2), reinterpret_cast<const char*>(u.data()),
                    static_cast<ber_len_t>(16), "c\0k", static_cast<ber_len_t>(3));
    const SyncStateValue v = decode_sync_state(ber);
    CHECK(v.state == SyncState::modify);
    CHECK(v.uuid == u);
    REQUIRE(v.cookie);
    CHECK(*v.cookie == std::string("c\0k", 3));
  }
}

TEST_CASE("syncStateValue: malformed values are rejected") {
  const Uuid u = uuid_of(0x20);
  const std::string good = wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(raw(u)));
  REQUIRE_NOTHROW(decode_sync_state(good));

  CHECK_THROWS_AS(decode_sync_state(""), std::invalid_argument);
  // Unknown state 4.
  CHECK_THROWS_AS(decode_sync_state(wrap(0x30, bytes({0x0a, 0x01, 0x04}) + octets(raw(u)))),
                  std::invalid_argument);
  // The state as INTEGER instead of ENUMERATED.
  CHECK_THROWS_AS(decode_sync_state(wrap(0x30, bytes({0x02, 0x01, 0x01}) + octets(raw(u)))),
                  std::invalid_argument);
  // An entryUUID of 15 and of 17 bytes.
  CHECK_THROWS_AS(
      decode_sync_state(wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(raw(u).substr(0, 15)))),
      std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_state(wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(raw(u) + "x"))),
                  std::invalid_argument);
  // No entryUUID at all.
  CHECK_THROWS_AS(decode_sync_state(wrap(0x30, bytes({0x0a, 0x01, 0x01}))), std::invalid_argument);
  // A SET instead of a SEQUENCE.
  CHECK_THROWS_AS(decode_sync_state(wrap(0x31, bytes({0x0a, 0x01, 0x01}) + octets(raw(u)))),
                  std::invalid_argument);
  // Truncated: the outer length claims more than there is, at every cut.
  for (size_t cut = 1; cut < good.size(); ++cut)
    CHECK_THROWS_AS(decode_sync_state(good.substr(0, cut)), std::invalid_argument);
  // Bytes after the SEQUENCE.
  CHECK_THROWS_AS(decode_sync_state(good + bytes({0x04, 0x00})), std::invalid_argument);
  // An extra field inside the SEQUENCE after the cookie.
  CHECK_THROWS_AS(decode_sync_state(
                      wrap(0x30, bytes({0x0a, 0x01, 0x01}) + octets(raw(u)) + octets("c") + kTrue)),
                  std::invalid_argument);
}

TEST_CASE("syncInfoValue: the newcookie alternative (tag 0)") {
  const SyncInfoValue v = decode_sync_info(octets("rid=001,csn=1", 0x80));
  CHECK(v.kind == SyncInfoValue::Kind::new_cookie);
  REQUIRE(v.cookie);
  CHECK(*v.cookie == "rid=001,csn=1");
  CHECK(v.uuids.empty());

  // Anything after the cookie.
  CHECK_THROWS_AS(decode_sync_info(octets("abc", 0x80) + octets("d")), std::invalid_argument);
  // Truncated.
  CHECK_THROWS_AS(decode_sync_info(bytes({0x80, 0x05, 'a', 'b'})), std::invalid_argument);
}

TEST_CASE(
    "syncInfoValue: refreshDelete (tag 1) and refreshPresent (tag 2), refreshDone DEFAULT TRUE") {
  SECTION("refreshDelete, empty: no cookie, refreshDone TRUE") {
    const SyncInfoValue v = decode_sync_info(bytes({0xa1, 0x00}));
    CHECK(v.kind == SyncInfoValue::Kind::refresh_delete);
    CHECK_FALSE(v.cookie);
    CHECK(v.refresh_done);
  }
  SECTION("refreshDelete with a cookie and refreshDone FALSE") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa1, octets("ck") + kFalse));
    CHECK(v.kind == SyncInfoValue::Kind::refresh_delete);
    REQUIRE(v.cookie);
    CHECK(*v.cookie == "ck");
    CHECK_FALSE(v.refresh_done);
  }
  SECTION("refreshPresent with refreshDone FALSE and no cookie") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa2, kFalse));
    CHECK(v.kind == SyncInfoValue::Kind::refresh_present);
    CHECK_FALSE(v.cookie);
    CHECK_FALSE(v.refresh_done);
  }
  SECTION("refreshPresent with a cookie and refreshDone TRUE given explicitly") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa2, octets("ck") + kTrue));
    CHECK(v.kind == SyncInfoValue::Kind::refresh_present);
    REQUIRE(v.cookie);
    CHECK(*v.cookie == "ck");
    CHECK(v.refresh_done);
  }
  SECTION("malformed") {
    // refreshDone before the cookie.
    CHECK_THROWS_AS(decode_sync_info(wrap(0xa2, kFalse + octets("ck"))), std::invalid_argument);
    // Bytes after the alternative, and an outer length that is too short or too long.
    CHECK_THROWS_AS(decode_sync_info(bytes({0xa1, 0x00, 0x00})), std::invalid_argument);
    CHECK_THROWS_AS(decode_sync_info(bytes({0xa1, 0x02}) + octets("ck")), std::invalid_argument);
    CHECK_THROWS_AS(decode_sync_info(bytes({0xa1, 0x06}) + octets("ck")), std::invalid_argument);
    // A refreshDone that is an INTEGER.
    CHECK_THROWS_AS(decode_sync_info(wrap(0xa1, bytes({0x02, 0x01, 0x00}))), std::invalid_argument);
  }
}

TEST_CASE("syncInfoValue: syncIdSet (tag 3) with refreshDeletes TRUE and two UUIDs") {
  const Uuid a = uuid_of(0x00);
  const Uuid b = uuid_of(0xe0);
  const std::string set = wrap(0x31, octets(raw(a)) + octets(raw(b)));
  SECTION("without a cookie") {
    const std::string ber = wrap(0xa3, kTrue + set);
    // Fixed bytes: a3 29 | 01 01 ff | 31 24 | 04 10 <a> | 04 10 <b>
    CHECK(ber.size() == 43);
    CHECK(ber.substr(0, 7) == bytes({0xa3, 0x29, 0x01, 0x01, 0xff, 0x31, 0x24}));
    const SyncInfoValue v = decode_sync_info(ber);
    CHECK(v.kind == SyncInfoValue::Kind::id_set);
    CHECK_FALSE(v.cookie);
    CHECK(v.refresh_deletes);
    CHECK(v.uuids == std::vector<Uuid>{a, b});
  }
  SECTION("with a cookie") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa3, octets("ck") + kTrue + set));
    REQUIRE(v.cookie);
    CHECK(*v.cookie == "ck");
    CHECK(v.refresh_deletes);
    CHECK(v.uuids == std::vector<Uuid>{a, b});
  }
  SECTION("refreshDeletes omitted is FALSE (the set lists present entries)") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa3, set));
    CHECK_FALSE(v.refresh_deletes);
    CHECK(v.uuids == std::vector<Uuid>{a, b});
  }
  SECTION("any non-zero BER BOOLEAN octet is TRUE") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa3, bytes({0x01, 0x01, 0x01}) + set));
    CHECK(v.refresh_deletes);
  }
  SECTION("an empty set") {
    const SyncInfoValue v = decode_sync_info(wrap(0xa3, kFalse + bytes({0x31, 0x00})));
    CHECK(v.kind == SyncInfoValue::Kind::id_set);
    CHECK(v.uuids.empty());
  }
  SECTION("malformed") {
    // syncUUIDs missing.
    CHECK_THROWS_AS(decode_sync_info(wrap(0xa3, kTrue)), std::invalid_argument);
    // syncUUIDs as a SEQUENCE instead of a SET.
    CHECK_THROWS_AS(decode_sync_info(wrap(0xa3, kTrue + wrap(0x30, octets(raw(a))))),
                    std::invalid_argument);
    // A UUID of 15 bytes.
    CHECK_THROWS_AS(
        decode_sync_info(wrap(0xa3, kTrue + wrap(0x31, octets(raw(a)) + octets(raw(b).substr(1))))),
        std::invalid_argument);
    // A set member that is not an OCTET STRING.
    CHECK_THROWS_AS(decode_sync_info(wrap(0xa3, kTrue + wrap(0x31, octets(raw(a)) + kTrue))),
                    std::invalid_argument);
    // Something after the set.
    CHECK_THROWS_AS(decode_sync_info(wrap(0xa3, kTrue + set + octets("x"))), std::invalid_argument);
    // Truncated at every cut.
    const std::string good = wrap(0xa3, octets("ck") + kTrue + set);
    for (size_t cut = 1; cut < good.size(); ++cut)
      CHECK_THROWS_AS(decode_sync_info(good.substr(0, cut)), std::invalid_argument);
  }
}

TEST_CASE("syncInfoValue: a large syncIdSet round trips through lber's encoder") {
  std::vector<Uuid> uuids;
  for (int i = 0; i < 1000; ++i) {
    Uuid u{};
    for (size_t k = 0; k < u.size(); ++k) u[k] = static_cast<uint8_t>(i * 31 + k * (i % 7 + 1));
    uuids.push_back(u);
  }
  std::vector<berval> values(uuids.size());
  std::vector<berval*> pointers;
  for (size_t i = 0; i < uuids.size(); ++i) {
    values[i] = {16, reinterpret_cast<char*>(uuids[i].data())};
    pointers.push_back(&values[i]);
  }
  pointers.push_back(nullptr);
  const std::string ber =
      lber_encode("t{obt[V]}", static_cast<ber_tag_t>(0xa3), "cookie", static_cast<ber_len_t>(6),
                  static_cast<ber_int_t>(1), static_cast<ber_tag_t>(0x31), pointers.data());
  const SyncInfoValue v = decode_sync_info(ber);
  CHECK(v.kind == SyncInfoValue::Kind::id_set);
  REQUIRE(v.cookie);
  CHECK(*v.cookie == "cookie");
  CHECK(v.refresh_deletes);
  CHECK(v.uuids == uuids);
}

TEST_CASE("syncInfoValue: unknown CHOICE alternatives and empty input are rejected") {
  CHECK_THROWS_AS(decode_sync_info(""), std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_info(bytes({0xa4, 0x00})), std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_info(bytes({0xa0, 0x00})), std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_info(bytes({0x30, 0x00})), std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_info(octets("ck")), std::invalid_argument);
}

TEST_CASE("syncDoneValue: cookie OPTIONAL, refreshDeletes DEFAULT FALSE") {
  SECTION("cookie, refreshDeletes omitted") {
    const std::string ber = bytes({0x30, 0x05, 0x04, 0x03, 'a', 'b', 'c'});
    const SyncDoneValue v = decode_sync_done(ber);
    REQUIRE(v.cookie);
    CHECK(*v.cookie == "abc");
    CHECK_FALSE(v.refresh_deletes);
  }
  SECTION("empty: no cookie means the old one is still current") {
    const SyncDoneValue v = decode_sync_done(bytes({0x30, 0x00}));
    CHECK_FALSE(v.cookie);
    CHECK_FALSE(v.refresh_deletes);
  }
  SECTION("refreshDeletes TRUE without a cookie") {
    const SyncDoneValue v = decode_sync_done(wrap(0x30, kTrue));
    CHECK_FALSE(v.cookie);
    CHECK(v.refresh_deletes);
  }
  SECTION("cookie and refreshDeletes TRUE") {
    const SyncDoneValue v = decode_sync_done(wrap(0x30, octets("abc") + kTrue));
    REQUIRE(v.cookie);
    CHECK(*v.cookie == "abc");
    CHECK(v.refresh_deletes);
  }
  SECTION("a present but empty cookie stays distinguishable from a missing one") {
    const SyncDoneValue v = decode_sync_done(bytes({0x30, 0x02, 0x04, 0x00}));
    REQUIRE(v.cookie);
    CHECK(v.cookie->empty());
  }
  SECTION("round trip through lber's encoder") {
    const std::string cookie(300, '\x5a');
    const SyncDoneValue v = decode_sync_done(lber_encode(
        "{ob}", cookie.data(), static_cast<ber_len_t>(cookie.size()), static_cast<ber_int_t>(1)));
    REQUIRE(v.cookie);
    CHECK(*v.cookie == cookie);
    CHECK(v.refresh_deletes);
  }
}

TEST_CASE("syncDoneValue: malformed values are rejected") {
  const std::string good = wrap(0x30, octets("abc") + kTrue);
  REQUIRE_NOTHROW(decode_sync_done(good));
  CHECK_THROWS_AS(decode_sync_done(""), std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_done(wrap(0x31, octets("abc"))), std::invalid_argument);
  CHECK_THROWS_AS(decode_sync_done(wrap(0xa3, octets("abc"))), std::invalid_argument);
  // refreshDeletes before the cookie.
  CHECK_THROWS_AS(decode_sync_done(wrap(0x30, kTrue + octets("abc"))), std::invalid_argument);
  // Two cookies.
  CHECK_THROWS_AS(decode_sync_done(wrap(0x30, octets("abc") + octets("def"))),
                  std::invalid_argument);
  // An INTEGER where the BOOLEAN goes.
  CHECK_THROWS_AS(decode_sync_done(wrap(0x30, octets("abc") + bytes({0x02, 0x01, 0x01}))),
                  std::invalid_argument);
  // Bytes after the SEQUENCE.
  CHECK_THROWS_AS(decode_sync_done(good + bytes({0x30, 0x00})), std::invalid_argument);
  for (size_t cut = 1; cut < good.size(); ++cut)
    CHECK_THROWS_AS(decode_sync_done(good.substr(0, cut)), std::invalid_argument);
}
