// The import and a connector's secret (write-only) attributes: the import reads them from the
// schema and keeps them for the sync, never expects them back from the connector, never puts
// their values in a message, and never stores one a connector pushes all the same.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "importer/connector_schema.hpp"
#include "importer/export_check.hpp"
#include "record_source.hpp"
#include "store/connector_space.hpp"
#include "store/export_confirm.hpp"
#include "store/secret_attributes.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using idsync::testing::person;
using idsync::testing::RecordSource;
using idsync::testing::TempDir;

namespace {

constexpr char kPassword[] = "Secret-1";

// "person" with mail and a write-only userPassword, as a directory connector declares it.
idsync_status schema_with_password(idsync_connector*, const idsync_schema_sink* sink,
                                   const idsync_diag*) {
  auto info = [](const char* name, uint32_t flags) {
    return idsync_attr_info{
        sizeof(idsync_attr_info), {name, std::strlen(name)}, IDSYNC_VALUE_STRING, flags};
  };
  const idsync_attr_info mail = info("mail", 0);
  const idsync_attr_info password = info("userPassword", IDSYNC_ATTRINFO_SECRET);
  const idsync_attr_info* attrs[] = {&mail, &password};
  const idsync_object_type_info person{
      sizeof(idsync_object_type_info), {"person", 6}, {"mail", 4}, attrs, 2};
  return sink->object_type(sink->host_ctx, &person);
}

idsync_status failing_schema(idsync_connector*, const idsync_schema_sink*, const idsync_diag* d) {
  const std::string message = "the directory is down";
  d->set_error(d->host_ctx, IDSYNC_ERR_CONNECTION, {message.data(), message.size()});
  return IDSYNC_ERROR;
}

importer::StepResult import(
    store::Store& st, std::vector<importer::ImportRecord> records,
    decltype(idsync_connector_type::get_schema) schema = &schema_with_password) {
  RecordSource source;
  source.pages.push_back(std::move(records));
  idsync_connector_type type = testing::record_source_type();
  type.get_schema = schema;
  return importer::run_import(st, "HR", type, reinterpret_cast<idsync_connector*>(&source), {});
}

void confirm(store::Store& st, const std::string& anchor,
             std::vector<store::Attribute> attributes) {
  store::ExportConfirm c;
  c.attributes = std::move(attributes);
  c.when_unix_ms = 1;
  rocksdb::WriteBatch batch;
  store::ExportConfirms(st, st.connector_id("HR")).put(batch, anchor, c);
  st.write(batch);
}

store::Attribute attr(std::string name, std::vector<std::string> values) {
  return {std::move(name), IDSYNC_VALUE_STRING, std::move(values)};
}

}  // namespace

TEST_CASE("the import keeps the secret attributes the connector's schema declares") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  CHECK(import(*st, {person("a", {"mail", "a@example.com"})}).status == "success");
  CHECK(store::read_secret_attributes(*st, st->connector_id("HR")) ==
        store::SecretAttributes({"userPassword"}));
}

TEST_CASE("an exported password is not expected back and no message shows it") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  REQUIRE(import(*st, {person("a", {"mail", "a@example.com"})}).status == "success");
  // What an export left before it knew the secret: the password beside the mail.
  confirm(*st, "a", {attr("mail", {"a@example.com"}), attr("userPassword", {kPassword})});
  const importer::StepResult r = import(*st, {person("a", {"mail", "a@example.com"})});
  CHECK(r.status == "success");
  CHECK(r.counters.not_reimported == 0);
  CHECK(r.object_issues.empty());
  CHECK(r.message.find(kPassword) == std::string::npos);
  CHECK_FALSE(store::ExportConfirms(*st, st->connector_id("HR")).get("a"));
}

TEST_CASE("a difference beside a secret is reported without the secret") {
  const store::ExportConfirm exported{
      "", {attr("mail", {"new@example.com"}), attr("userPassword", {kPassword})}, 1};
  store::CsObject imported;
  imported.attributes = {attr("mail", {"a@example.com"})};
  const std::string with_secret = importer::not_reimported(exported, imported);
  CHECK(with_secret.find(kPassword) != std::string::npos);  // what the flag prevents
  const std::string message =
      importer::not_reimported(exported, imported, store::SecretAttributes({"userpassword"}));
  CHECK(message == R"(mail: exported "new@example.com", imported "a@example.com")");
}

TEST_CASE("a secret the connector imports all the same is not stored") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  CHECK(import(*st, {person("a", {"mail", "a@example.com", "USERPASSWORD", kPassword})}).ok());
  const auto o = store::ConnectorSpace(*st, st->connector_id("HR")).get("a");
  REQUIRE(o);
  CHECK(o->find("mail"));
  CHECK_FALSE(o->find("userPassword"));

  SECTION("also when the schema cannot be read: the secrets known before hold") {
    CHECK(import(*st, {person("b", {"mail", "b@example.com", "userPassword", kPassword})},
                 &failing_schema)
              .ok());
    const auto b = store::ConnectorSpace(*st, st->connector_id("HR")).get("b");
    REQUIRE(b);
    CHECK_FALSE(b->find("userPassword"));
    CHECK(store::read_secret_attributes(*st, st->connector_id("HR")) ==
          store::SecretAttributes({"userPassword"}));
  }
}

TEST_CASE("reading the schema takes SECRET names including those wrongly READONLY too") {
  auto schema = [](idsync_connector*, const idsync_schema_sink* sink,
                   const idsync_diag*) -> idsync_status {
    const idsync_attr_info pwd{sizeof(idsync_attr_info),
                               {"unicodePwd", 10},
                               IDSYNC_VALUE_BINARY,
                               IDSYNC_ATTRINFO_SECRET | IDSYNC_ATTRINFO_READONLY};
    const idsync_attr_info guid{sizeof(idsync_attr_info),
                                {"objectGUID", 10},
                                IDSYNC_VALUE_BINARY,
                                IDSYNC_ATTRINFO_READONLY | 0x100u};  // an unknown bit: ignored
    const idsync_attr_info* attrs[] = {&guid, &pwd};
    const idsync_object_type_info user{
        sizeof(idsync_object_type_info), {"user", 4}, {"objectGUID", 10}, attrs, 2};
    return sink->object_type(sink->host_ctx, &user);
  };
  idsync_connector_type type{};
  type.struct_size = sizeof type;
  type.get_schema = schema;
  importer::SchemaSecrets read;
  std::string error;
  REQUIRE(importer::read_schema_secrets(type, nullptr, "AD", read, error));
  CHECK(read.names == std::vector<std::string>{"unicodePwd"});
  REQUIRE(read.problems.size() == 1);
  CHECK(read.problems[0].find("both READONLY and SECRET") != std::string::npos);
}

TEST_CASE("reading the schema takes the anchor attributes an ADD is filed under") {
  auto schema = [](idsync_connector*, const idsync_schema_sink* sink,
                   const idsync_diag*) -> idsync_status {
    auto info = [](const char* name, uint32_t flags) {
      return idsync_attr_info{
          sizeof(idsync_attr_info), {name, std::strlen(name)}, IDSYNC_VALUE_STRING, flags};
    };
    const idsync_attr_info uid = info("UID", IDSYNC_ATTRINFO_ANCHOR_FROM_ADD);
    // Not the anchor attribute of its type: the flag means nothing there.
    const idsync_attr_info mail = info("mail", IDSYNC_ATTRINFO_ANCHOR_FROM_ADD);
    // An attribute no ADD carries cannot name the ADD's anchor.
    const idsync_attr_info guid =
        info("objectGUID", IDSYNC_ATTRINFO_READONLY | IDSYNC_ATTRINFO_ANCHOR_FROM_ADD);
    const idsync_attr_info* person_attrs[] = {&uid, &mail};
    const idsync_attr_info* user_attrs[] = {&guid};
    const idsync_object_type_info person{
        sizeof(idsync_object_type_info), {"person", 6}, {"uid", 3}, person_attrs, 2};
    const idsync_object_type_info user{
        sizeof(idsync_object_type_info), {"user", 4}, {"objectGUID", 10}, user_attrs, 1};
    if (sink->object_type(sink->host_ctx, &person) != IDSYNC_OK) return IDSYNC_ERROR;
    return sink->object_type(sink->host_ctx, &user);
  };
  idsync_connector_type type{};
  type.struct_size = sizeof type;
  type.get_schema = schema;
  importer::SchemaSecrets read;
  std::string error;
  REQUIRE(importer::read_schema_secrets(type, nullptr, "Files", read, error));
  CHECK(read.add_named_anchors == std::vector<store::AddNamedAnchors::Entry>{{"person", "UID"}});

  TempDir dir;
  auto st = store::Store::open(dir / "db");
  const uint32_t id = st->connector_id("Files");
  importer::refresh_secret_attributes(*st, id, "Files", type, nullptr);
  const store::AddNamedAnchors kept = store::read_add_named_anchors(*st, id);
  REQUIRE(kept.attribute_of("person"));
  CHECK(*kept.attribute_of("person") == "UID");
  CHECK_FALSE(kept.attribute_of("user"));
}
