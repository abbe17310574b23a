// The one-result-per-op contract, from the host's side: a second result or an unknown op id is
// refused and counted; an op left without a result fails.
#include <catch2/catch.hpp>

#include "exporter/result_collector.hpp"
#include "fixtures.hpp"
#include "scripted_connector.hpp"
#include "support/temp_dir.hpp"

using namespace idsync;
using namespace idsync::exporter::test;
using idsync::testing::TempDir;
using store::ExportKind;

TEST_CASE("duplicate and unknown results are refused; missing results fail their op") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(*st, "a", pending(ExportKind::add, "cn=a", {delta("cn", {"A"})}));
  put_pending(*st, "b", pending(ExportKind::add, "cn=b", {delta("cn", {"B"})}));
  Script sc;
  sc.duplicate_first = true;
  sc.unknown_op = true;
  sc.unreported.insert("cn=b");
  const auto type = scripted_type();
  const auto r = exporter::run_export(*st, kConnector, type, handle(sc), options());
  // a: accepted, then its duplicate refused; the unknown op refused.
  CHECK(sc.report_answers == std::vector<idsync_status>{IDSYNC_OK, IDSYNC_ERROR, IDSYNC_ERROR});
  CHECK(r.contract_violations == 3);  // duplicate, unknown, one unreported
  CHECK(r.status == "completed-export-errors");
  CHECK(r.message.find("broke the export result contract") != std::string::npos);
  const auto left = all_pending(*st);
  REQUIRE(left.size() == 1);  // a's first (successful) result stands
  REQUIRE(left.at("b").last_error);
  CHECK(left.at("b").last_error->kind == IDSYNC_ERR_INTERNAL);
  CHECK(left.at("b").last_error->message.find("without reporting") != std::string::npos);
  CHECK(all_confirms(*st).count("a") == 1);
}

TEST_CASE("violations alone make the step complete with warnings") {
  TempDir dir;
  auto st = store::Store::open(dir / "db");
  put_pending(*st, "a", pending(ExportKind::add, "cn=a", {delta("cn", {"A"})}));
  Script sc;
  sc.unknown_op = true;
  const auto type = scripted_type();
  const auto r = exporter::run_export(*st, kConnector, type, handle(sc), options());
  CHECK(r.status == "completed-warnings");
  CHECK(r.message.find("not in the batch") != std::string::npos);
  CHECK(all_pending(*st).empty());
}

TEST_CASE("ops a failed batch did not report take the batch's status") {
  exporter::ResultCollector rc({1, 2}, "LDAP", nullptr);
  idsync_export_result ok{};
  ok.struct_size = sizeof ok;
  ok.op_id = 1;
  CHECK(rc.results()->report(rc.results()->host_ctx, &ok) == IDSYNC_OK);
  rc.fill_missing(IDSYNC_RETRY, IDSYNC_ERR_TIMEOUT, "timed out");
  CHECK(rc.result(1).status == IDSYNC_OK);
  CHECK(rc.result(2).status == IDSYNC_RETRY);
  CHECK(rc.result(2).kind == IDSYNC_ERR_TIMEOUT);
  CHECK(rc.result(2).message == "timed out");
  CHECK(rc.violations() == 0);  // a failed batch may leave ops unreported
}
