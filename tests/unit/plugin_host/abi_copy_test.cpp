// abi_copy on structs made here, independent of any plugin.
#include "plugin_host/abi_copy.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>

#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {
namespace {

using Catch::Matchers::Contains;

// A connector type with every pointer set to something non-NULL.
idsync_connector_type full_type() {
  idsync_connector_type t;
  std::memset(&t, 0xAB, sizeof t);  // junk everywhere, as in memory a plugin does not own
  t.struct_size = sizeof t;
  t.type_id = "x.y";
  return t;
}

TEST_CASE("abi_copy: minimum sizes are the end of the last required field") {
  CHECK(AbiLayout<idsync_connector_type>::required_end ==
        offsetof(idsync_connector_type, full_import) + sizeof(void*));
  CHECK(AbiLayout<idsync_config_field>::required_end ==
        offsetof(idsync_config_field, name) + sizeof(const char*));
  CHECK(AbiLayout<idsync_plugin_info>::required_end ==
        offsetof(idsync_plugin_info, version) + sizeof(const char*));
  CHECK(AbiLayout<idsync_rule_function>::required_end == sizeof(idsync_rule_function));
  CHECK(AbiLayout<idsync_rule_transform>::required_end == sizeof(idsync_rule_transform));
  CHECK(abi_max_size<idsync_connector_type>(0) == sizeof(idsync_connector_type));
}

TEST_CASE("abi_copy: a full struct is copied as it is") {
  const idsync_connector_type src = full_type();
  const idsync_connector_type copy = abi_copy(&src, 0, "connector type #0", "lib.so");
  CHECK(std::memcmp(&copy, &src, sizeof copy) == 0);
}

TEST_CASE("abi_copy: bytes past struct_size read as zero in the copy") {
  idsync_connector_type src = full_type();
  src.struct_size = AbiLayout<idsync_connector_type>::required_end;
  const idsync_connector_type copy = abi_copy(&src, 0, "connector type #0", "lib.so");
  CHECK(copy.struct_size == sizeof(idsync_connector_type));
  CHECK(copy.type_id == src.type_id);
  CHECK(copy.full_import == src.full_import);
  CHECK(copy.delta_import == nullptr);
  CHECK(copy.current_watermark == nullptr);
  CHECK(copy.export_batch == nullptr);
  const auto* tail = reinterpret_cast<const unsigned char*>(&copy) + src.struct_size;
  for (std::size_t i = src.struct_size; i < sizeof copy; ++i, ++tail) CHECK(*tail == 0);
}

TEST_CASE("abi_copy: refuses a struct smaller than its required fields") {
  idsync_connector_type src = full_type();
  src.struct_size = AbiLayout<idsync_connector_type>::required_end - 1;
  try {
    abi_copy(&src, 0, "connector type #2", "/p/lib.so");
    FAIL("not refused");
  } catch (const RefusedError& e) {
    CHECK(e.file() == "/p/lib.so");
    CHECK(std::string(e.what()) ==
          "undersized struct: connector type #2 (idsync_connector_type) has struct_size " +
              std::to_string(src.struct_size) + ", but its required fields end at byte " +
              std::to_string(src.struct_size + 1) + " (after full_import)");
  }
}

TEST_CASE("abi_copy: refuses a struct larger than the negotiated minor defines") {
  struct Bigger {
    idsync_connector_type t;
    char more[24];
  } src{};
  src.t = full_type();
  src.t.struct_size = sizeof src;
  try {
    abi_copy(&src.t, 0, "connector type #0", "/p/lib.so");
    FAIL("not refused");
  } catch (const RefusedError& e) {
    CHECK(e.file() == "/p/lib.so");
    CHECK_THAT(e.what(),
               Contains("oversized struct: connector type #0 'x.y' "
                        "(idsync_connector_type) has struct_size " +
                        std::to_string(sizeof src) + ", but ABI 1.0 defines it with at most " +
                        std::to_string(sizeof(idsync_connector_type)) + " bytes"));
  }
}

TEST_CASE("abi_copy: refuses NULL") {
  const idsync_rule_function* none = nullptr;
  CHECK_THROWS_WITH(abi_copy(none, 0, "rule type 'r' function #1", "lib.so"),
                    "rule type 'r' function #1 (idsync_rule_function) is NULL");
}

TEST_CASE("abi_copy: a config field cut after its name keeps only the name") {
  idsync_config_field src;
  std::memset(&src, 0xCD, sizeof src);
  src.struct_size = AbiLayout<idsync_config_field>::required_end;
  src.name = "n";
  const idsync_config_field copy = abi_copy(&src, 0, "field", "lib.so");
  CHECK(copy.name == src.name);
  CHECK(copy.type == 0);
  CHECK(copy.flags == 0);
  CHECK(copy.default_value == nullptr);
  CHECK(copy.allowed == nullptr);
}

}  // namespace
}  // namespace idsync::plugin_host
