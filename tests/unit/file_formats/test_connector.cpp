// The connector as a whole: configuration checks, schema, test_connection, and the plugin
// module driven through the plain C ABI (entry point, create, full import, errors, STOP).
#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support.hpp"

using namespace idsync::file;
using namespace filetest;
using Catch::Matchers::StartsWith;

// The anchor attribute: required, and an ADD is filed under its value.
constexpr uint32_t kAnchor = IDSYNC_ATTRINFO_REQUIRED | IDSYNC_ATTRINFO_ANCHOR_FROM_ADD;

namespace {

std::string config_error(const ConfigBuilder& b) {
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string m = error_of([&] { b.create("/nonexistent"); }, &kind);
  if (!m.empty()) CHECK(kind == IDSYNC_ERR_CONFIG);
  return m;
}

struct SchemaType {
  std::string name;
  std::string anchor;
  std::vector<std::tuple<std::string, uint32_t>> attrs;  // name, flags
};

std::vector<SchemaType> schema_of(FileConnector& c) {
  std::vector<SchemaType> out;
  idsync_schema_sink sink{
      sizeof(idsync_schema_sink), &out, [](void* ctx, const idsync_object_type_info* info) {
        auto* v = static_cast<std::vector<SchemaType>*>(ctx);
        SchemaType t{std::string(idsync::sdk::view(info->name)),
                     std::string(idsync::sdk::view(info->anchor_attribute)),
                     {}};
        for (size_t i = 0; i < info->attribute_count; ++i)
          t.attrs.emplace_back(std::string(idsync::sdk::view(info->attributes[i]->name)),
                               info->attributes[i]->flags);
        v->push_back(std::move(t));
        return IDSYNC_OK;
      }};
  idsync::sdk::SchemaWriter w(&sink);
  c.schema(w);
  return out;
}

}  // namespace

TEST_CASE("connector: spec declares the type, capabilities and fields", "[connector]") {
  const auto spec = FileConnector::spec();
  CHECK(std::string(spec.type_id) == "file");
  CHECK(spec.capabilities == (IDSYNC_CAP_FULL_IMPORT | IDSYNC_CAP_DELTA_IMPORT | IDSYNC_CAP_EXPORT |
                              IDSYNC_CAP_CURRENT_WATERMARK | IDSYNC_CAP_TEST_CONNECTION));
  std::vector<std::string> names;
  for (const auto& f : spec.fields) {
    names.emplace_back(f.name);
    CHECK(std::string(f.doc).size() > 10);
  }
  CHECK(names == std::vector<std::string>{"path", "format", "anchor_column", "anchor_attribute",
                                          "dn_column", "object_type", "object_type_column",
                                          "delimiter", "multi_value_separator", "delta_mode",
                                          "change_file", "change_type_column", "export_file",
                                          "export_mode", "attributes", "reference_attributes"});
  CHECK(spec.fields[0].flags == IDSYNC_CONFIG_REQUIRED);
  CHECK(spec.fields[0].type == IDSYNC_CONFIG_PATH);
  CHECK(std::string(spec.fields[1].default_json) == "\"csv\"");
}

TEST_CASE("connector: cross-field configuration errors name the field", "[connector][config]") {
  ConfigBuilder b;
  b.set("path", "/x/p.csv");
  CHECK(config_error(b) == "anchor_column: required when format is csv");
  CHECK(config_error(ConfigBuilder(b).set("anchor_attribute", "id")) ==
        "anchor_attribute: applies to ldif and jsonl; for csv set anchor_column");
  b.set("anchor_column", "id");
  CHECK(config_error(b).empty());
  CHECK(config_error(ConfigBuilder(b).set("delimiter", "ab")) ==
        "delimiter: must be a single character other than a quote or a line break");
  CHECK(config_error(ConfigBuilder(b).set("delimiter", "\"")) ==
        "delimiter: must be a single character other than a quote or a line break");
  CHECK(config_error(ConfigBuilder(b).set("multi_value_separator", ",")) ==
        "multi_value_separator: must not contain the delimiter, a quote or a line break");
  CHECK(config_error(ConfigBuilder(b).set("delta_mode", "change_file")) ==
        "change_file: required when delta_mode is change_file");
  CHECK(config_error(
            ConfigBuilder(b).set("delta_mode", "change_file").set("change_file", "/x/c.csv")) ==
        "change_type_column: required for a CSV change file (delta_mode change_file)");
  CHECK(config_error(ConfigBuilder(b).set("object_type", "")) == "object_type: must not be empty");
  ConfigBuilder l;
  l.set("path", "/x/p.ldif").set("format", "ldif");
  CHECK(config_error(l) == "anchor_attribute: required when format is ldif");
  CHECK(config_error(ConfigBuilder(l).set("anchor_column", "x")) ==
        "anchor_column: applies to csv; for ldif set anchor_attribute");
  CHECK(
      config_error(ConfigBuilder(l).set("anchor_attribute", "entryUUID").set("dn_column", "dn")) ==
      "dn_column: applies to csv only");
}

TEST_CASE("connector: schema from the CSV header or the configured attributes",
          "[connector][schema]") {
  TempDir dir;
  write_file(dir / "p.csv", "id,dn,kind,cn,mail\nE1,,,a,b\n");
  auto c = ConfigBuilder()
               .set("path", dir / "p.csv")
               .set("anchor_column", "id")
               .set("dn_column", "dn")
               .set("object_type_column", "kind")
               .create(dir.path(), {"person", "group"});
  auto types = schema_of(*c);
  REQUIRE(types.size() == 2);
  CHECK(types[0].name == "person");
  CHECK(types[1].name == "group");
  CHECK(types[0].anchor == "id");
  using A = std::tuple<std::string, uint32_t>;
  CHECK(types[0].attrs == std::vector<A>{{"id", kAnchor},
                                         {"cn", IDSYNC_ATTRINFO_MULTIVALUED},
                                         {"mail", IDSYNC_ATTRINFO_MULTIVALUED}});
  auto single = ConfigBuilder()
                    .set("path", dir / "p.csv")
                    .set("anchor_column", "id")
                    .set("multi_value_separator", "")
                    .list("attributes", {"mail"})
                    .create(dir.path());
  types = schema_of(*single);
  REQUIRE(types.size() == 1);
  CHECK(types[0].attrs == std::vector<A>{{"id", kAnchor}, {"mail", 0}});

  write_file(dir / "p.ldif", "");
  auto l = ConfigBuilder()
               .set("path", dir / "p.ldif")
               .set("format", "ldif")
               .set("anchor_attribute", "entryUUID")
               .set("object_type", "user")
               .list("attributes", {"cn", "mail"})
               .create(dir.path());
  types = schema_of(*l);
  REQUIRE(types.size() == 1);
  CHECK(types[0].name == "user");
  CHECK(types[0].attrs == std::vector<A>{{"entryUUID", kAnchor},
                                         {"cn", IDSYNC_ATTRINFO_MULTIVALUED},
                                         {"mail", IDSYNC_ATTRINFO_MULTIVALUED}});
  // A CSV without the anchor column has no usable schema.
  write_file(dir / "p.csv", "cn\na\n");
  CHECK(error_of([&] { schema_of(*c); }) ==
        "p.csv:1: no column \"id\" (anchor_column) in the header: cn");
}

TEST_CASE("connector: LDIF and JSONL schemas are discovered from the file", "[connector][schema]") {
  using A = std::tuple<std::string, uint32_t>;
  const uint32_t multi = IDSYNC_ATTRINFO_MULTIVALUED;
  TempDir dir;
  write_file(dir / "p.jsonl",
             "{\"id\": 1, \"cn\": \"a\", \"age\": 30, \"ok\": true, \"mail\": [\"x\", \"y\"]}\n"
             "{\"id\": 2, \"cn\": \"b\", \"age\": \"unknown\", \"ok\": false, \"_object_type\": "
             "\"group\"}\n");
  auto j = ConfigBuilder()
               .set("path", dir / "p.jsonl")
               .set("format", "jsonl")
               .set("anchor_attribute", "id")
               .create(dir.path());
  auto types = schema_of(*j);
  REQUIRE(types.size() == 2);
  CHECK(types[0].name == "person");
  CHECK(types[1].name == "group");  // seen in the data
  CHECK(types[0].attrs ==
        std::vector<A>{{"id", kAnchor}, {"cn", 0}, {"age", 0}, {"ok", 0}, {"mail", multi}});
  std::vector<SchemaType> raw;
  idsync_schema_sink sink{sizeof(idsync_schema_sink), &raw,
                          [](void* ctx, const idsync_object_type_info* info) {
                            for (size_t i = 0; i < info->attribute_count; ++i)
                              static_cast<std::vector<SchemaType>*>(ctx)->push_back(
                                  {std::string(idsync::sdk::view(info->attributes[i]->name)),
                                   std::to_string(info->attributes[i]->type),
                                   {}});
                            return IDSYNC_STOP;  // the first type is enough
                          }};
  idsync::sdk::SchemaWriter w(&sink);
  CHECK_THROWS_AS(j->schema(w), idsync::sdk::Stopped);
  // id: INTEGER (2), cn: STRING (0), age: mixed -> STRING, ok: BOOLEAN (3), mail: STRING.
  std::vector<std::string> type_codes;
  for (const auto& t : raw) type_codes.push_back(t.name + "=" + t.anchor);
  CHECK(type_codes == std::vector<std::string>{"id=2", "cn=0", "age=0", "ok=3", "mail=0"});

  write_file(dir / "p.ldif",
             "dn: cn=a\nentryUUID: 1\nobjectClass: person\ncn: a\n\ndn: cn=b\nentryUUID: 2\nCN: "
             "b\nphoto:: /w==\n");
  auto l = ConfigBuilder()
               .set("path", dir / "p.ldif")
               .set("format", "ldif")
               .set("anchor_attribute", "entryUUID")
               .list("attributes", {"cn", "photo", "description"})
               .create(dir.path());
  types = schema_of(*l);
  REQUIRE(types.size() == 1);
  CHECK(types[0].attrs ==
        std::vector<A>{
            {"entryUUID", kAnchor}, {"cn", multi}, {"photo", multi}, {"description", multi}});
}

TEST_CASE("connector: test_connection checks the files and folders", "[connector]") {
  TempDir dir;
  write_file(dir / "p.csv", "id,cn\nE1,a\n");
  ConfigBuilder b;
  b.set("path", dir / "p.csv").set("anchor_column", "id").set("export_file", dir / "out.csv");
  CHECK_NOTHROW(b.create(dir.path())->test_connection());
  CHECK(dir.entries() == std::vector<std::string>{"p.csv"});  // the probe files are gone
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  CHECK(error_of(
            [&] {
              ConfigBuilder(b).set("path", dir / "none.csv").create(dir.path())->test_connection();
            },
            &kind) == dir / "none.csv" + ": cannot open: No such file or directory");
  CHECK(kind == IDSYNC_ERR_CONNECTION);
  CHECK(error_of(
            [&] { ConfigBuilder(b).set("path", dir.path()).create(dir.path())->test_connection(); },
            &kind) == "path: " + dir.path() + " is not a regular file");
  CHECK_THAT(error_of(
                 [&] {
                   ConfigBuilder(b)
                       .set("export_file", dir / "no/out.csv")
                       .create(dir.path())
                       ->test_connection();
                 },
                 &kind),
             StartsWith("export_file: cannot create files in " + dir / "no"));
  CHECK(kind == IDSYNC_ERR_PERMISSION);
  write_file(dir / "p.csv", "id,cn\nE1,\"a\n");
  CHECK(error_of([&] { b.create(dir.path())->test_connection(); }, &kind) ==
        "p.csv:2:4: quoted field is not closed (the file ends inside it)");
  CHECK(kind == IDSYNC_ERR_INVALID_VALUE);
  write_file(dir / "p.csv", "id,cn\nE1,a\n");
  CHECK(error_of([&] {
          ConfigBuilder(b)
              .set("delta_mode", "change_file")
              .set("change_type_column", "op")
              .set("change_file", dir / "x/c.csv")
              .create(dir.path())
              ->test_connection();
        }) == "change_file: the folder " + dir / "x" + " does not exist");
}

// ---- Through the C ABI, as the host loads it ------------------------------------------------

namespace {

struct CHost {
  idsync_error_kind kind = IDSYNC_ERR_NONE;
  std::string message;
  int objects = 0;
  int pages = 0;
  bool stop = false;
  std::string watermark;
};

void set_error(void* ctx, idsync_error_kind kind, idsync_str message) {
  auto* h = static_cast<CHost*>(ctx);
  h->kind = kind;
  h->message.assign(message.ptr, message.len);
}

}  // namespace

TEST_CASE("plugin module: entry point, create and full import through the C ABI", "[abi]") {
  void* lib = ::dlopen(IDSYNC_FILE_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(lib != nullptr);
  auto entry = reinterpret_cast<idsync_plugin_entry_v1_fn>(::dlsym(lib, IDSYNC_PLUGIN_ENTRY_V1));
  REQUIRE(entry != nullptr);
  idsync_host_info host{sizeof(idsync_host_info), 1, 0, "test", nullptr, nullptr};
  const idsync_plugin_info* info = nullptr;
  REQUIRE(entry(&host, &info) == IDSYNC_OK);
  CHECK(std::string(info->name) == "file");
  CHECK(std::string(info->version) == "0.1.0");
  REQUIRE(info->connector_type_count == 1);
  const idsync_connector_type* type = info->connector_types[0];
  CHECK(std::string(type->type_id) == "file");
  CHECK(type->export_batch != nullptr);
  CHECK(type->delta_import != nullptr);
  CHECK(type->current_watermark != nullptr);
  CHECK(type->test_connection != nullptr);

  TempDir dir;
  write_file(dir / "p.csv", "id,cn\nE1,a\nE2,b\nE3,c\nE4\n");
  std::vector<std::string> texts;
  texts.reserve(type->config_field_count);
  std::vector<idsync_config_value> values;
  auto make_values = [&](const std::string& anchor) {
    texts.clear();
    values.clear();
    for (size_t i = 0; i < type->config_field_count; ++i) {
      const idsync_config_field* f = type->config_fields[i];
      idsync_config_value v{};
      v.struct_size = sizeof v;
      v.name = idsync::sdk::str(f->name);
      v.type = f->type;
      const std::string n = f->name;
      std::optional<std::string> text;
      if (n == "path") text = dir / "p.csv";
      if (n == "anchor_column") text = anchor;
      if (!text && f->default_value && f->type == IDSYNC_CONFIG_STRING)
        text = std::string(f->default_value).substr(1, std::string(f->default_value).size() - 2);
      if (text) {
        texts.push_back(*text);
        v.is_set = 1;
        v.text = idsync::sdk::str(texts.back());
      }
      values.push_back(v);
    }
  };
  CHost h;
  idsync_diag diag{sizeof(idsync_diag), &h, &set_error, nullptr};
  const std::string state = dir.path();
  idsync_create_params params{
      sizeof(idsync_create_params), idsync::sdk::str("hr"), nullptr, 0, nullptr, 0,
      idsync::sdk::str(state)};

  // A configuration error comes back as ERROR with IDSYNC_ERR_CONFIG.
  make_values("");
  params.config = values.data();
  params.config_count = values.size();
  idsync_connector* instance = nullptr;
  CHECK(type->create(&params, &diag, &instance) == IDSYNC_ERROR);
  CHECK(h.kind == IDSYNC_ERR_CONFIG);
  CHECK(h.message == "anchor_column: required when format is csv");

  make_values("id");
  params.config = values.data();
  params.config_count = values.size();
  REQUIRE(type->create(&params, &diag, &instance) == IDSYNC_OK);
  REQUIRE(instance != nullptr);

  idsync_import_sink sink{};
  sink.struct_size = sizeof sink;
  sink.host_ctx = &h;
  sink.object_begin = [](void* ctx, const idsync_object_header*) {
    ++static_cast<CHost*>(ctx)->objects;
    return IDSYNC_OK;
  };
  sink.attribute = [](void*, const idsync_attr*) { return IDSYNC_OK; };
  sink.object_end = [](void*) { return IDSYNC_OK; };
  sink.page_end = [](void* ctx, idsync_bytes) {
    auto* hh = static_cast<CHost*>(ctx);
    ++hh->pages;
    return hh->stop ? IDSYNC_STOP : IDSYNC_OK;
  };
  sink.import_end = [](void* ctx, uint32_t, idsync_bytes wm) {
    static_cast<CHost*>(ctx)->watermark = std::string(idsync::sdk::view(wm));
    return IDSYNC_OK;
  };
  sink.is_cancelled = [](void*) { return 0; };
  idsync_import_request req{sizeof(idsync_import_request), {nullptr, 0}, {nullptr, 0}, 2};

  // Bad input: ERROR, with the place in the message.
  CHECK(type->full_import(instance, &req, &sink, &diag) == IDSYNC_ERROR);
  CHECK(h.kind == IDSYNC_ERR_INVALID_VALUE);
  CHECK(h.message == "p.csv:5: expected 2 fields as in the header, found 1");

  // The host stops at the first page end: STOP, not an error.
  write_file(dir / "p.csv", "id,cn\nE1,a\nE2,b\nE3,c\nE4,d\n");
  h = CHost{};
  h.stop = true;
  CHECK(type->full_import(instance, &req, &sink, &diag) == IDSYNC_STOP);
  CHECK(h.pages == 1);
  CHECK(h.message.empty());

  h = CHost{};
  CHECK(type->full_import(instance, &req, &sink, &diag) == IDSYNC_OK);
  CHECK(h.objects == 4);
  CHECK(h.pages == 2);
  CHECK_THAT(h.watermark, StartsWith("idsync-file/1;"));
  type->destroy(instance);
  // The host never unloads plugins; neither does this test (static metadata stays valid).
}

TEST_CASE("sdk: ImportWriter::attr takes a single string-like value as one value", "[sdk]") {
  // Before the fix in sdk.hpp, a literal or std::string matched the range overload and did not
  // compile (it iterated the characters).
  ImportSink sink;
  auto w = sink.writer();
  const std::string text = "from a std::string";
  w.begin(IDSYNC_CHANGE_STATE, "person", "a1");
  w.attr("cn", "a literal");
  w.attr("sn", text);
  w.attr("mail", std::vector<std::string>{"x@a", "y@a"});
  w.end();
  REQUIRE(sink.pending.size() == 1);
  CHECK(sink.pending[0].attrs == std::vector<Attr>{rep("cn", {"a literal"}), rep("sn", {text}),
                                                   rep("mail", {"x@a", "y@a"})});
}

TEST_CASE("connector: a discovered schema is kept in the state folder for that file version",
          "[connector][schema]") {
  using A = std::tuple<std::string, uint32_t>;
  TempDir dir;
  make_dir(dir / "state");
  write_file(dir / "p.jsonl", "{\"id\": \"1\", \"cn\": \"a\"}\n");
  ConfigBuilder b;
  b.set("path", dir / "p.jsonl").set("format", "jsonl").set("anchor_attribute", "id");
  const std::string cache = dir / "state/schema.cache";
  CHECK(schema_of(*b.create(dir / "state"))[0].attrs == std::vector<A>{{"id", kAnchor}, {"cn", 0}});
  REQUIRE(std::filesystem::exists(cache));
  // A new instance (a new process) takes the cached schema instead of reading the file: an
  // entry added to the cache shows that it did.
  append_file(cache, "a 0 1 5 extra\n");
  CHECK(schema_of(*b.create(dir / "state"))[0].attrs ==
        std::vector<A>{{"id", kAnchor}, {"cn", 0}, {"extra", IDSYNC_ATTRINFO_MULTIVALUED}});
  // Another version of the file, another configuration or a damaged cache: discovered again.
  append_file(dir / "p.jsonl", "{\"id\": \"2\", \"mail\": \"m\"}\n");
  CHECK(schema_of(*b.create(dir / "state"))[0].attrs ==
        std::vector<A>{{"id", kAnchor}, {"cn", 0}, {"mail", 0}});
  append_file(cache, "a 0 1 5 extra\n");
  CHECK(schema_of(*ConfigBuilder(b).list("attributes", {"cn", "mail"}).create(dir / "state"))[0]
            .attrs == std::vector<A>{{"id", kAnchor}, {"cn", 0}, {"mail", 0}});
  write_file(cache, "idsync-file-schema/1 zz\n");
  CHECK(schema_of(*b.create(dir / "state"))[0].attrs ==
        std::vector<A>{{"id", kAnchor}, {"cn", 0}, {"mail", 0}});
}
