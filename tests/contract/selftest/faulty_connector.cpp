// A connector for testing the kit itself: correct by default, and with config field "fault" set
// it breaks exactly one rule of the ABI. The kit must pass the correct one and fail each fault
// with the message that names it (tests/contract/CMakeLists.txt).
#include <idsync/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace idsync::sdk;

constexpr int kObjects = 6;

class FaultyConnector : public Connector {
 public:
  static ConnectorSpec spec() {
    return {
        "kit.selftest",
        "Contract kit self-test",
        "Six objects in memory, optionally with one deliberate contract breach",
        IDSYNC_CAP_TEST_CONNECTION | IDSYNC_CAP_EXPORT,
        {FieldSpec{"fault", IDSYNC_CONFIG_STRING, 0, "\"\"", "The rule to break; empty: none."}}};
  }

  FaultyConnector(const Config& config, const CreateContext&) : fault_(config.string("fault")) {}

  void test_connection() override {
    // A failure without a message: the host could only say "ERROR".
    if (fault_ == "silent_error") throw Error(IDSYNC_ERR_CONNECTION, "", IDSYNC_ERROR);
  }

  void schema(SchemaWriter& out) override {
    out.object_type("person", "id", {{"id"}, {"index", IDSYNC_VALUE_INTEGER}});
  }

  void full_import(const ImportRequest& request, ImportWriter& out) override {
    int next = request.checkpoint.empty() ? 0 : std::stoi(request.checkpoint);
    if (fault_ == "restart_on_resume") next = 0;
    const uint32_t page_size = fault_ == "oversized_pages" ? 3 : request.page_size;
    uint32_t in_page = 0;
    for (int i = next; i < kObjects; ++i) {
      const std::string id =
          fault_ == "duplicate_anchor" && i == 3 ? "user2" : "user" + std::to_string(i);
      const std::string index = fault_ == "malformed_integer" ? "four" : std::to_string(i);
      out.begin(IDSYNC_CHANGE_STATE, "person", fault_ == "empty_anchor" ? "" : id);
      out.attr("id", std::string_view(id));
      out.attr("index", std::string_view(index), IDSYNC_VALUE_INTEGER);
      out.end();
      if (++in_page < page_size) continue;
      in_page = 0;
      try {
        out.page(std::to_string(i + 1));
      } catch (const Stopped&) {
        if (fault_ != "ignore_stop") throw;
      }
    }
    out.finish(true, {});
  }

  // Nothing is stored: an ADD succeeds with a made-up anchor, everything else names an object
  // that does not exist.
  void export_batch(const std::vector<ExportOp>& ops, ExportResults& results) override {
    for (const ExportOp& op : ops) {
      if (op.kind == IDSYNC_EXPORT_ADD)
        results.ok(op.op_id, "added-" + std::to_string(op.op_id));
      else
        results.fail(op.op_id, IDSYNC_ERR_UNKNOWN_OBJECT, "no such object");
      if (fault_ == "report_twice") results.fail(op.op_id, IDSYNC_ERR_INTERNAL, "again");
    }
  }

 private:
  std::string fault_;
};

}  // namespace

IDSYNC_PLUGIN("kit-selftest", "0.1.0", idsync::sdk::connector_type<FaultyConnector>())
