#include "importer/canonical_attributes.hpp"

#include <catch2/catch.hpp>

#include "importer/apply_change.hpp"
#include "records.hpp"
#include "store/codec.hpp"

using namespace idsync;
using importer::AttrChange;
using importer::ImportRecord;

namespace {
// The attribute section the general path (apply_record + encode_cs_object) stores.
std::string general_path_attributes(const ImportRecord& r) {
  std::optional<store::CsObject> o;
  store::ImportCounters c;
  importer::apply_record(r, o, c);
  std::string bytes;
  store::encode_cs_object(*o, bytes);
  return bytes.substr(store::parse_cs_header(bytes).attributes_offset);
}
}  // namespace

TEST_CASE("the fast path encodes simple records exactly as the general path stores them") {
  ImportRecord r = idsync::testing::record(IDSYNC_CHANGE_STATE, "person", "a1", "cn=a");
  r.attributes.push_back({"sn", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"Lovelace"}});
  r.attributes.push_back({"Mail",
                          IDSYNC_VALUE_STRING,
                          IDSYNC_ATTR_REPLACE,
                          {"b@x", "a@x", "b@x"}});  // duplicate value
  r.attributes.push_back({"empty", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {}});
  r.attributes.push_back(
      {"badge", IDSYNC_VALUE_BINARY, IDSYNC_ATTR_REPLACE, {std::string("\0\1", 2)}});
  importer::CanonicalAttributes canonical;
  std::string fast;
  REQUIRE(canonical.encode(r, fast));
  CHECK(fast == general_path_attributes(r));
}

TEST_CASE("records that are not simple are left to the general path") {
  importer::CanonicalAttributes canonical;
  std::string out;
  ImportRecord twice = idsync::testing::record(IDSYNC_CHANGE_STATE, "person", "a1", "");
  twice.attributes.push_back({"sn", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"x"}});
  twice.attributes.push_back({"SN", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"y"}});
  CHECK_FALSE(canonical.encode(twice, out));
  ImportRecord adds = idsync::testing::record(IDSYNC_CHANGE_STATE, "person", "a1", "");
  adds.attributes.push_back({"member", IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_ADD, {"x"}});
  CHECK_FALSE(canonical.encode(adds, out));
  CHECK(out.empty());
}
