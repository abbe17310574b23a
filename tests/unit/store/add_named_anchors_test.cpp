// The store's record of the object types whose ADD a connector files under their anchor
// attribute's value: looked up by exact type, kept per connector across a reopen, rewritten
// only when it changes, and damage reported rather than read as "none".
#include "store/add_named_anchors.hpp"

#include <catch2/catch.hpp>

#include "store/codec.hpp"
#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

TEST_CASE("add-named anchors answer by exact object type, the first entry of a type kept") {
  const AddNamedAnchors a({{"person", "uid"}, {"group", "cn"}, {"person", "mail"}});
  REQUIRE(a.attribute_of("person"));
  CHECK(*a.attribute_of("person") == "uid");
  REQUIRE(a.attribute_of("group"));
  CHECK(*a.attribute_of("group") == "cn");
  CHECK_FALSE(a.attribute_of("Person"));
  CHECK_FALSE(a.attribute_of("contact"));
  CHECK_FALSE(AddNamedAnchors().attribute_of("person"));
  std::string v;
  encode_add_named_anchors(a, v);
  CHECK(decode_add_named_anchors(v) == a);
}

TEST_CASE(
    "add-named anchors are kept per connector, survive a reopen, and are rewritten only "
    "when they change") {
  TempDir dir;
  uint32_t files = 0, ad = 0;
  {
    auto store = Store::open(dir / "db");
    files = store->connector_id("Files");
    ad = store->connector_id("AD");
    CHECK(read_add_named_anchors(*store, files).empty());
    write_add_named_anchors(*store, files, AddNamedAnchors({{"person", "uid"}}));
    const auto before = store->db().GetLatestSequenceNumber();
    write_add_named_anchors(*store, files, AddNamedAnchors({{"person", "uid"}}));
    CHECK(store->db().GetLatestSequenceNumber() == before);
  }
  {
    auto store = Store::open_read_only(dir / "db");
    CHECK(read_add_named_anchors(*store, files) == AddNamedAnchors({{"person", "uid"}}));
    CHECK(read_add_named_anchors(*store, ad).empty());
  }
  auto store = Store::open(dir / "db");
  write_add_named_anchors(*store, files, {});
  CHECK_FALSE(store->get_setting(add_named_anchors_key(files)));
}

TEST_CASE("a damaged add-named anchors record is an error naming the record") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const uint32_t files = store->connector_id("Files");
  std::string v;
  encode_add_named_anchors(AddNamedAnchors({{"person", "uid"}}), v);
  for (size_t n = 0; n < v.size(); ++n)
    CHECK_THROWS_AS(decode_add_named_anchors(v.substr(0, n)), CorruptRecord);
  CHECK_THROWS_AS(decode_add_named_anchors(v + "x"), CorruptRecord);
  store->put_setting(add_named_anchors_key(files), std::string("\x09", 1));
  CHECK_THROWS_WITH(read_add_named_anchors(*store, files),
                    Catch::Matchers::Contains("add-named anchors of connector id"));
}
