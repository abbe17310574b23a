// The good fake works end to end through the host's copies: what other tests rely on.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace idsync::plugin_host::test {
namespace {

using Catch::Matchers::Contains;

// Records what a full import pushes.
struct ImportLog {
  std::vector<std::string> anchors;
  std::vector<std::string> checkpoints;
  std::string watermark;
  uint32_t all_results_returned = 0;
  std::map<std::string, std::string> last_attrs;
  int pages_before_stop = -1;  // page_end answers STOP at this page (-1: never)
};

std::string text(idsync_bytes b) {
  return std::string(reinterpret_cast<const char*>(b.ptr), b.len);
}

idsync_import_sink sink_for(ImportLog& log) {
  idsync_import_sink sink{};
  sink.struct_size = sizeof sink;
  sink.host_ctx = &log;
  sink.object_begin = [](void* ctx, const idsync_object_header* h) {
    static_cast<ImportLog*>(ctx)->anchors.push_back(text(h->anchor));
    return IDSYNC_OK;
  };
  sink.attribute = [](void* ctx, const idsync_attr* a) {
    static_cast<ImportLog*>(ctx)->last_attrs[std::string(a->name.ptr, a->name.len)] =
        a->value_count ? text(a->values[0]) : "";
    return IDSYNC_OK;
  };
  sink.object_end = [](void*) { return IDSYNC_OK; };
  sink.page_end = [](void* ctx, idsync_bytes checkpoint) {
    auto* log = static_cast<ImportLog*>(ctx);
    log->checkpoints.push_back(text(checkpoint));
    return static_cast<int>(log->checkpoints.size()) == log->pages_before_stop ? IDSYNC_STOP
                                                                               : IDSYNC_OK;
  };
  sink.import_end = [](void* ctx, uint32_t all, idsync_bytes watermark) {
    auto* log = static_cast<ImportLog*>(ctx);
    log->all_results_returned = all;
    log->watermark = text(watermark);
    return IDSYNC_OK;
  };
  sink.is_cancelled = [](void*) { return 0; };
  return sink;
}

// Creates an instance with count/prefix set and the rest left to the fake's defaults.
idsync_connector* create(const ConnectorType& t, int64_t count, const std::string& prefix) {
  std::vector<idsync_config_value> values;
  for (const idsync_config_field* f : t.fields()) {
    idsync_config_value v{};
    v.struct_size = sizeof v;
    v.name = idsync_str{f->name, std::char_traits<char>::length(f->name)};
    v.type = f->type;
    if (std::string(f->name) == "count") {
      v.is_set = 1;
      v.integer = count;
    } else if (std::string(f->name) == "prefix") {
      v.is_set = 1;
      v.text = idsync_str{prefix.data(), prefix.size()};
    }
    values.push_back(v);
  }
  idsync_create_params params{};
  params.struct_size = sizeof params;
  params.connector_name = idsync_str{"test", 4};
  params.config = values.data();
  params.config_count = values.size();
  idsync_connector* instance = nullptr;
  REQUIRE(t.raw().create(&params, nullptr, &instance) == IDSYNC_OK);
  REQUIRE(instance != nullptr);
  return instance;
}

idsync_status full_import(const ConnectorType& t, idsync_connector* c, ImportLog& log,
                          uint32_t page_size, const std::string& checkpoint = {}) {
  idsync_import_request request{};
  request.struct_size = sizeof request;
  request.checkpoint =
      idsync_bytes{reinterpret_cast<const uint8_t*>(checkpoint.data()), checkpoint.size()};
  request.page_size = page_size;
  const idsync_import_sink sink = sink_for(log);
  return t.raw().full_import(c, &request, &sink, nullptr);
}

TEST_CASE("fake-good: full import pushes count objects in pages and resumes from a checkpoint") {
  TempDir tmp;
  const Registry registry = Registry::discover({plugin_dir_with(tmp, {"good"})});
  const ConnectorType* t = registry.connector_type("fake.good");
  REQUIRE(t != nullptr);
  idsync_connector* c = create(*t, 7, "p");

  ImportLog all;
  REQUIRE(full_import(*t, c, all, 3) == IDSYNC_OK);
  CHECK(all.anchors == std::vector<std::string>{"p0", "p1", "p2", "p3", "p4", "p5", "p6"});
  CHECK(all.checkpoints == std::vector<std::string>{"3", "6"});  // the last page: import_end
  CHECK(all.all_results_returned == 1);
  CHECK(all.watermark == "fake-wm-7");
  CHECK(all.last_attrs["id"] == "p6");
  CHECK(all.last_attrs["index"] == "6");

  ImportLog resumed;
  REQUIRE(full_import(*t, c, resumed, 3, "6") == IDSYNC_OK);
  CHECK(resumed.anchors == std::vector<std::string>{"p6"});

  ImportLog stopped;
  stopped.pages_before_stop = 1;
  CHECK(full_import(*t, c, stopped, 3) == IDSYNC_STOP);
  CHECK(stopped.anchors.size() == 3);
  CHECK(stopped.watermark.empty());

  t->raw().destroy(c);
}

TEST_CASE("fake-good: the schema and the plugin's log reach the host") {
  std::vector<std::string> lines;
  struct ResetLog {
    ~ResetLog() { set_plugin_log({}); }  // the sink captures `lines`: never let it outlive it
  } reset;
  set_plugin_log([&](int32_t level, std::string_view message) {
    lines.push_back(std::to_string(level) + " " + std::string(message));
  });
  TempDir tmp;
  const Registry registry = Registry::discover({plugin_dir_with(tmp, {"good"})});
  const ConnectorType* t = registry.connector_type("fake.good");
  REQUIRE(t != nullptr);
  idsync_connector* c = create(*t, 1, "x");
  // create() logs through the host_info it kept from the entry: tagged with the plugin name.
  CHECK(lines == std::vector<std::string>{std::to_string(IDSYNC_LOG_INFO) +
                                          " [fake-good] fake connector created"});

  std::vector<std::string> types;
  idsync_schema_sink sink{
      sizeof(idsync_schema_sink), &types, [](void* ctx, const idsync_object_type_info* info) {
        auto* out = static_cast<std::vector<std::string>*>(ctx);
        out->emplace_back(info->name.ptr, info->name.len);
        out->back() += "/" + std::string(info->anchor_attribute.ptr, info->anchor_attribute.len);
        out->back() += "/" + std::to_string(info->attribute_count);
        return IDSYNC_OK;
      }};
  REQUIRE(t->raw().get_schema(c, &sink, nullptr) == IDSYNC_OK);
  CHECK(types == std::vector<std::string>{"person/id/3"});
  t->raw().destroy(c);
}

}  // namespace
}  // namespace idsync::plugin_host::test
