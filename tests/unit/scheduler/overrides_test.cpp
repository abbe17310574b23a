// Connector overrides: per connector, with their reasons, deleted when nothing is set.
#include <catch2/catch.hpp>

#include "scheduler/connector_overrides.hpp"
#include "store/codec.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::scheduler;
using idsync::testing::TempDir;

TEST_CASE("connector overrides are kept per connector with their reasons") {
  TempDir dir;
  auto store = idsync::store::Store::open(dir / "db");
  const uint32_t ad = store->connector_id("AD"), entra = store->connector_id("Entra");
  CHECK_FALSE(read_connector_override(*store, ad, "AD").any());

  require_full_import(*store, "AD", "set by an admin");
  require_full_sync(*store, "AD", "the rules changed");
  require_full_sync(*store, "Entra", "set by an admin");
  const ConnectorOverride a = read_connector_override(*store, ad, "AD");
  CHECK(a == ConnectorOverride{true, "set by an admin", true, "the rules changed"});
  CHECK(read_connector_override(*store, entra, "Entra") ==
        ConnectorOverride{false, "", true, "set by an admin"});

  // Clearing both removes the record.
  write_connector_override(*store, ad, ConnectorOverride{});
  CHECK_FALSE(store->get(idsync::store::Family::meta, connector_override_key(ad)));
  CHECK(read_connector_override(*store, entra, "Entra").full_sync_required);

  CHECK(decode_connector_override(encode_connector_override(a)) == a);
  for (const char* bad : {"x", R"({"format": 1, "full_import_required": true})",
                          R"({"format": 1, "full_sync_required": {}})", R"({"format": 9})"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(decode_connector_override(bad), idsync::store::CorruptRecord);
  }
}
