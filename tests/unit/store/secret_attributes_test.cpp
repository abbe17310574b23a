// The store's record of a connector's secret attributes: names compare ignoring case, the
// record survives a reopen and is readable beside a writer, it is rewritten only when it
// changes, and damage is reported rather than read as "no secrets".
#include "store/secret_attributes.hpp"

#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

TEST_CASE("secret attribute names compare ignoring case and keep one spelling") {
  const SecretAttributes s({"unicodePwd", "UserPassword", "UNICODEPWD"});
  CHECK(s.names() == std::vector<std::string>{"unicodepwd", "userpassword"});
  CHECK(s.contains("unicodepwd"));
  CHECK(s.contains("userPASSWORD"));
  CHECK_FALSE(s.contains("mail"));
  CHECK_FALSE(SecretAttributes().contains("unicodePwd"));
}

TEST_CASE("the mask shown instead of secret values counts them") {
  CHECK(secret_mask(1) == "(secret: 1 value)");
  CHECK(secret_mask(2) == "(secret: 2 values)");
  CHECK(secret_mask(0) == "(secret: 0 values)");
}

TEST_CASE("secret attributes are kept per connector and survive a reopen") {
  TempDir dir;
  uint32_t ad = 0, hr = 0;
  {
    auto store = Store::open(dir / "db");
    ad = store->connector_id("AD");
    hr = store->connector_id("HR");
    CHECK(read_secret_attributes(*store, ad).empty());
    write_secret_attributes(*store, ad, SecretAttributes({"unicodePwd"}));
  }
  auto store = Store::open_read_only(dir / "db");
  CHECK(read_secret_attributes(*store, ad) == SecretAttributes({"unicodepwd"}));
  CHECK(read_secret_attributes(*store, hr).empty());
}

TEST_CASE("secret attributes are written only when they change and none removes the record") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t ad = store->connector_id("AD");
  write_secret_attributes(*store, ad, SecretAttributes({"unicodePwd"}));
  const rocksdb::SequenceNumber before = store->db().GetLatestSequenceNumber();
  write_secret_attributes(*store, ad, SecretAttributes({"UNICODEPWD"}));
  CHECK(store->db().GetLatestSequenceNumber() == before);  // the same set: no write
  write_secret_attributes(*store, ad, {});
  CHECK_FALSE(store->get_setting(secret_attributes_key(ad)));
}

TEST_CASE("a damaged secret attributes record is an error and not an empty set") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t ad = store->connector_id("AD");
  std::string value;
  encode_secret_attributes(SecretAttributes({"unicodePwd"}), value);
  CHECK(decode_secret_attributes(value) == SecretAttributes({"unicodePwd"}));
  store->put_setting(secret_attributes_key(ad), value.substr(0, value.size() - 1));
  CHECK_THROWS_AS(read_secret_attributes(*store, ad), CorruptRecord);
  store->put_setting(secret_attributes_key(ad), std::string("\x07", 1));
  CHECK_THROWS_AS(read_secret_attributes(*store, ad), CorruptRecord);
}
