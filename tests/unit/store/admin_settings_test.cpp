// The admin-held export safety settings: defaults when never written, values that survive a
// reopen, per-connector separation, and damage reported instead of read as a default.
#include "store/admin_settings.hpp"

#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

namespace {

void put_raw(Store& store, const std::string& key, const std::string& value) {
  rocksdb::WriteBatch batch;
  batch.Put(store.family(Family::meta), key, value);
  store.write(batch);
}

}  // namespace

TEST_CASE("settings never written read as the defaults") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const DeletionThreshold t = read_deletion_threshold(*store, store->connector_id("HR"));
  CHECK(t.enabled);
  CHECK(t.count == 500);
  CHECK_FALSE(t.percent);
  CHECK_FALSE(read_staging_mode(*store));
}

TEST_CASE("deletion thresholds round-trip per connector and survive a reopen") {
  TempDir dir;
  const DeletionThreshold percent{true, 40, 10};
  const DeletionThreshold disabled{false, 25, std::nullopt};
  uint32_t hr = 0, ad = 0, entra = 0;
  {
    auto store = Store::open(dir / "db");
    hr = store->connector_id("HR");
    ad = store->connector_id("AD");
    entra = store->connector_id("Entra");
    write_deletion_threshold(*store, hr, percent);
    write_deletion_threshold(*store, ad, disabled);
  }
  auto store = Store::open_read_only(dir / "db");
  CHECK(read_deletion_threshold(*store, hr) == percent);
  CHECK(read_deletion_threshold(*store, ad) == disabled);
  CHECK(read_deletion_threshold(*store, entra) == DeletionThreshold{});
}

TEST_CASE("every field value round-trips through the encoding") {
  for (const DeletionThreshold& t :
       {DeletionThreshold{}, DeletionThreshold{true, 0, std::nullopt},
        DeletionThreshold{false, UINT64_MAX, std::nullopt}, DeletionThreshold{true, 7, 1},
        DeletionThreshold{false, 500, 100}}) {
    std::string value;
    encode_deletion_threshold(t, value);
    CHECK(decode_deletion_threshold(value) == t);
  }
}

TEST_CASE("a percentage outside 1..100 is refused and nothing is written") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t hr = store->connector_id("HR");
  write_deletion_threshold(*store, hr, {true, 30, std::nullopt});
  CHECK_THROWS_AS(write_deletion_threshold(*store, hr, {true, 30, 0}), std::invalid_argument);
  CHECK_THROWS_AS(write_deletion_threshold(*store, hr, {true, 30, 101}), std::invalid_argument);
  CHECK(read_deletion_threshold(*store, hr) == DeletionThreshold{true, 30, std::nullopt});
}

TEST_CASE("the staging mode flag round-trips and survives a reopen") {
  TempDir dir;
  {
    auto store = Store::open(dir / "db");
    write_staging_mode(*store, true);
    CHECK(read_staging_mode(*store));
  }
  {
    auto store = Store::open(dir / "db");
    CHECK(read_staging_mode(*store));
    write_staging_mode(*store, false);
  }
  auto store = Store::open_read_only(dir / "db");
  CHECK_FALSE(read_staging_mode(*store));
}

TEST_CASE("a damaged deletion threshold is reported, naming the setting, not defaulted") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t hr = store->connector_id("HR");
  std::string good;
  encode_deletion_threshold({false, 3, std::nullopt}, good);

  const std::string unknown_format = "\x02" + good.substr(1);
  std::string bad_flag = good;
  bad_flag[1] = '\x07';
  std::string bad_percent = good;
  bad_percent.back() = static_cast<char>(101);
  for (const std::string& damaged :
       {std::string(), good.substr(0, 2), good + "x", unknown_format, bad_flag, bad_percent}) {
    INFO("value of " << damaged.size() << " bytes");
    put_raw(*store, deletion_threshold_key(hr), damaged);
    CHECK_THROWS_AS(read_deletion_threshold(*store, hr), CorruptRecord);
    CHECK_THROWS_WITH(read_deletion_threshold(*store, hr),
                      Catch::Contains("deletion threshold of connector id " + std::to_string(hr)) &&
                          Catch::Contains("damaged") &&
                          Catch::Contains("idsync deletion-threshold"));
  }
  // Rewriting the setting repairs it.
  write_deletion_threshold(*store, hr, {true, 9, std::nullopt});
  CHECK(read_deletion_threshold(*store, hr) == DeletionThreshold{true, 9, std::nullopt});
}

TEST_CASE("a damaged staging mode flag is reported, not read as off") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  for (const std::string& damaged : {std::string(), std::string("\x01"), std::string("\x01\x02"),
                                     std::string("\x01\x01\x00", 3), std::string("\x09\x01")}) {
    INFO("value of " << damaged.size() << " bytes");
    put_raw(*store, kStagingModeKey, damaged);
    CHECK_THROWS_WITH(read_staging_mode(*store),
                      Catch::Contains("staging mode flag") && Catch::Contains("damaged"));
  }
}

TEST_CASE("settings keys do not collide with the connector name index") {
  // Connector names are stored under "connector/<name>"; a connector named like a settings key
  // must not read or overwrite a setting.
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t odd = store->connector_id("staging_mode");
  const uint32_t other = store->connector_id(deletion_threshold_key(odd));
  CHECK_FALSE(read_staging_mode(*store));
  CHECK(read_deletion_threshold(*store, odd) == DeletionThreshold{});
  write_staging_mode(*store, true);
  write_deletion_threshold(*store, odd, {false, 1, std::nullopt});
  CHECK(store->find_connector_id("staging_mode") == odd);
  CHECK(store->find_connector_id(deletion_threshold_key(odd)) == other);
}
