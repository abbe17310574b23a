// Outbound flow evaluated in the inbound batch (InboundSync::evaluate_outbound_in_batch): the
// store it leaves, once OutboundSync::run() has taken what is left, is the store of an inbound
// step followed by a separate outbound run, key for key.
#include <cctype>
#include <cstdio>
#include <map>

#include "exporter/provisional_anchor.hpp"
#include "store/add_named_anchors.hpp"
#include "store/dirty_attributes.hpp"
#include "store/pending_export.hpp"
#include "store/prefix_scan.hpp"
#include "support.hpp"
#include "sync/outbound_sync.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

constexpr int64_t kNow = 1'700'000'000'000;

// HR projects persons (with a manager) and groups (with members); Badges joins persons and wins
// mail; persons outside "Hidden" and every group are provisioned into Directory, references
// included. Every person is provisioned into Badges too, so that Badges' own objects (a badge
// that replaces its provisioned placeholder, a deleted badge provisioned again) take the path
// that declines in-batch evaluation.
std::string rules_with_targets() {
  return R"J({"rules": [
    {"name": "HR persons", "direction": "inbound", "connector": "HR",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 10,
     "scoping": [[{"attribute": "status", "operator": "NOTEQUAL", "value": "terminated"}]],
     "transformations": [
       {"flow": "direct", "target": "employeeId", "source": "employeeId"},
       {"flow": "direct", "target": "displayName", "source": "displayName"},
       {"flow": "direct", "target": "mail", "source": "mail"},
       {"flow": "direct", "target": "department", "source": "department"},
       {"flow": "direct", "target": "manager", "source": "manager"}]},
    {"name": "HR groups", "direction": "inbound", "connector": "HR",
     "cs_object_type": "group", "mv_object_type": "group", "link_type": "Provision",
     "precedence": 20,
     "transformations": [
       {"flow": "direct", "target": "groupId", "source": "employeeId"},
       {"flow": "direct", "target": "member", "source": "member"}]},
    {"name": "Badges", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "badge", "mv_object_type": "person", "precedence": 5,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [{"flow": "direct", "target": "mail", "source": "mail"}]},
    {"name": "Out persons", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "scoping": [[{"attribute": "department", "operator": "NOTEQUAL", "value": "Hidden"}]],
     "transformations": [
       {"flow": "expression", "target": "dn", "expression": "\"uid=\" & [employeeId] & \",ou=p\""},
       {"flow": "direct", "target": "uid", "source": "employeeId"},
       {"flow": "direct", "target": "cn", "source": "displayName"},
       {"flow": "direct", "target": "mail", "source": "mail"},
       {"flow": "direct", "target": "manager", "source": "manager"}]},
    {"name": "Out groups", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "groupOfNames", "mv_object_type": "group", "link_type": "Provision",
     "precedence": 110,
     "transformations": [
       {"flow": "expression", "target": "dn", "expression": "\"cn=\" & [groupId] & \",ou=g\""},
       {"flow": "direct", "target": "member", "source": "member"}]},
    {"name": "Badges for everyone", "direction": "outbound", "connector": "Badges",
     "cs_object_type": "badge", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 120,
     "transformations": [{"flow": "direct", "target": "employeeId", "source": "employeeId"}]}
  ]})J";
}

importer::ImportRecord hr_person(const std::string& id, const std::string& manager = "",
                                 const std::string& department = "Sales") {
  auto r = state("person", id, person(id, "Person " + id, department));
  return manager.empty() ? r : with_refs(std::move(r), "manager", {manager});
}

importer::ImportRecord hr_group(const std::string& id, const std::vector<std::string>& members) {
  return with_refs(state("group", id, {{"employeeId", id}}), "member", members);
}

const store::Family kCompared[] = {store::Family::cs,
                                   store::Family::cs_dn,
                                   store::Family::mv,
                                   store::Family::mv_join,
                                   store::Family::link_cs,
                                   store::Family::link_mv,
                                   store::Family::sync_queue,
                                   store::Family::mv_dirty,
                                   store::Family::pending_export,
                                   store::Family::ref_wait,
                                   store::Family::mv_ref,
                                   store::Family::cs_disconnector,
                                   store::Family::export_confirm};

using Dump = std::map<std::pair<int, std::string>, std::string>;

Dump dump(store::Store& s) {
  Dump out;
  for (store::Family f : kCompared)
    store::scan_prefix(s, f, "", [&](std::string_view key, std::string_view value) {
      out.emplace(std::make_pair(static_cast<int>(f), std::string(key)), std::string(value));
      return true;
    });
  return out;
}

// The first keys in which two dumps differ, readably ("" when they are equal).
std::string differences(const Dump& a, const Dump& b) {
  std::string out;
  int listed = 0;
  auto describe = [&](const char* side, const std::pair<int, std::string>& key) {
    if (listed++ >= 5) return;
    out += std::string(side) + " family " + std::to_string(key.first) + " key ";
    for (unsigned char c : key.second) out += std::isprint(c) ? std::string(1, c) : ".";
    out += "\n";
  };
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end())
      describe("only in the first:", key);
    else if (it->second != value)
      describe("differs:", key);
  }
  for (const auto& [key, value] : b)
    if (!a.count(key)) describe("only in the second:", key);
  return out;
}

size_t marks(store::Store& s) {
  size_t n = 0;
  store::DirtyAttributes(s).for_each([&](uint64_t, const store::DirtySet&) {
    ++n;
    return true;
  });
  return n;
}

// One store synced one way: outbound flow in the inbound batches, or after them.
struct Side : SyncFixture {
  explicit Side(bool in_batch) : in_batch(in_batch) {
    set_rules(rules_with_targets());
    directory = store().connector_id("Directory");
  }

  // An inbound step of `connector`, then the outbound run; returns the marks the inbound step
  // left for that run.
  size_t step(const std::string& connector, sync::SyncKind kind, size_t batch_size = 2,
              sync::Deprovisioning deprovisioning = sync::Deprovisioning::make_disconnector) {
    sync::OutboundOptions out_options;
    out_options.now_unix_ms = kNow;
    sync::OutboundSync outbound(store(), this->rules(), out_options);
    sync::InboundOptions options;
    options.kind = kind;
    options.batch_size = batch_size;
    options.read_ahead = read_ahead;
    options.now_unix_ms = kNow;
    options.deprovisioning = deprovisioning;
    sync::InboundSync inbound(store(), this->rules(), connector, options);
    if (in_batch) inbound.evaluate_outbound_in_batch(outbound);
    REQUIRE(inbound.run().completed);
    const size_t left = marks(store());
    const sync::OutboundResult o = outbound.run();
    REQUIRE(o.completed);
    REQUIRE(o.errors == 0);
    provisioned += o.provisioned;
    return left;
  }

  // The Directory anchor of the MV object HR's `anchor` projected ("" when none).
  std::string directory_anchor_of(const std::string& anchor) {
    auto id = mv_id(hr, anchor);
    REQUIRE(id);
    return store::Links(store()).anchor_of(*id, directory).value_or("");
  }

  bool in_batch;
  bool read_ahead = true;  // InboundOptions::read_ahead
  uint32_t directory = 0;
  uint64_t provisioned = 0;
};

// Runs `stage` on both sides and compares the stores.
template <typename Stage>
void both(Side& separate, Side& fused, Stage stage) {
  stage(separate);
  stage(fused);
  CHECK(dump(fused.store()) == dump(separate.store()));
}

}  // namespace

TEST_CASE("outbound flow in the inbound batch leaves the store a separate outbound run leaves") {
  Side separate(false), fused(true);

  // "0-g" sorts first: the group waits for its members; b's manager a is synced before b, and
  // c's manager z is nobody yet; h is out of Directory's scope.
  both(separate, fused, [](Side& s) {
    s.import(s.hr, {hr_group("0-g", {"a", "b"}), hr_person("a"), hr_person("b", "a"),
                    hr_person("c", "z"), hr_person("h", "", "Hidden")});
  });
  size_t separate_left = 0, fused_left = 0;
  both(separate, fused, [&](Side& s) {
    (s.in_batch ? fused_left : separate_left) = s.step("HR", sync::SyncKind::full);
  });
  // Directory: a, b, c and the group (h is hidden); Badges: every person.
  CHECK(separate.provisioned == 8);
  CHECK(fused.provisioned == 8);  // counted by the outbound run that followed
  // Every changed object was marked for the outbound run; in-batch evaluation left marks only
  // for the group (it waited for its members, and was synced again at the step's end), c
  // (waits for z), and none for the provisioned persons.
  CHECK(separate_left == 5);
  CHECK(fused_left == 2);

  // Badges joins two people, replacing the placeholders provisioned for them, and wins their
  // mail. Badges is a target of persons: the outbound flow of these is left to the run.
  both(separate, fused, [](Side& s) {
    s.import(s.badges, {state("badge", "B-a", {{"employeeId", "a"}, {"mail", "a@badge"}}),
                        state("badge", "B-b", {{"employeeId", "b"}, {"mail", "b@badge"}})});
  });
  both(separate, fused, [&](Side& s) {
    (s.in_batch ? fused_left : separate_left) = s.step("Badges", sync::SyncKind::full, 1);
  });
  CHECK(separate_left == 2);
  CHECK(fused_left == 2);

  // A badge goes while its person stays: Badges gets a placeholder for the person again, in the
  // batch that unlinks the badge.
  both(separate, fused, [](Side& s) { s.import(s.badges, {deleted("badge", "B-b")}); });
  both(separate, fused, [](Side& s) { s.step("Badges", sync::SyncKind::delta); });

  // A Delta Sync: z arrives (c's manager resolves), b moves to Hidden (deprovisioned: its add
  // was never exported, so it is withdrawn), a leaves HR's scope, the group loses b.
  both(separate, fused, [](Side& s) {
    auto terminated = state("person", "a", person("a", "Person a"));
    terminated.attributes.push_back(
        {"status", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {"terminated"}});
    s.import(s.hr, {hr_person("z"), hr_person("b", "a", "Hidden"), std::move(terminated),
                    hr_group("0-g", {"a"})});
  });
  both(separate, fused, [](Side& s) { s.step("HR", sync::SyncKind::delta); });
  CHECK(marks(fused.store()) == 0);
  CHECK(marks(separate.store()) == 0);

  // z goes, and its MV object with it: the tombstone's deprovisioning and purge are the
  // outbound run's, and c, whose manager z was, loses the reference in the batch.
  both(separate, fused, [](Side& s) { s.import(s.hr, {deleted("person", "z")}); });
  both(separate, fused, [](Side& s) {
    s.step("HR", sync::SyncKind::delta, 2,
           sync::Deprovisioning::delete_mv_when_last_authoritative_source_goes);
  });
  CHECK(marks(fused.store()) == 0);
}

TEST_CASE("an inbound batch lost before its write leaves the outbound work to the rerun") {
  Side separate(false), fused(true);
  both(separate, fused, [](Side& s) {
    s.import(s.hr, {hr_group("0-g", {"a", "b"}), hr_person("a"), hr_person("b", "a"),
                    hr_person("c"), hr_person("d", "c")});
  });
  both(separate, fused, [](Side& s) {
    // The first two batches commit; the process dies; the rerun resumes the step.
    sync::OutboundOptions out_options;
    out_options.now_unix_ms = kNow;
    sync::OutboundSync outbound(s.store(), s.rules(), out_options);
    sync::InboundOptions options;
    options.batch_size = 2;
    options.stop_after_batches = 2;
    options.now_unix_ms = kNow;
    sync::InboundSync crashed(s.store(), s.rules(), "HR", options);
    if (s.in_batch) crashed.evaluate_outbound_in_batch(outbound);
    REQUIRE_FALSE(crashed.run().completed);
    s.step("HR", sync::SyncKind::full);
  });
  CHECK(marks(fused.store()) == 0);
}

TEST_CASE("a stop request ends the step at a batch boundary and the next run completes it") {
  Side separate(false), fused(true);
  both(separate, fused, [](Side& s) {
    s.import(s.hr, {hr_group("0-g", {"a", "b"}), hr_person("a"), hr_person("b", "a"),
                    hr_person("c"), hr_person("d", "c")});
  });
  both(separate, fused, [](Side& s) {
    const std::atomic<bool> stop{true};
    sync::OutboundOptions out_options;
    out_options.now_unix_ms = kNow;
    out_options.cancel = &stop;
    sync::OutboundSync outbound(s.store(), s.rules(), out_options);
    sync::InboundOptions options;
    options.batch_size = 2;
    options.now_unix_ms = kNow;
    options.cancel = &stop;
    sync::InboundSync stopped(s.store(), s.rules(), "HR", options);
    if (s.in_batch) stopped.evaluate_outbound_in_batch(outbound);
    const sync::InboundResult r = stopped.run();
    CHECK_FALSE(r.completed);
    CHECK(r.batches == 1);  // the batch under way when the stop came was finished
    CHECK(r.objects == 2);
    s.step("HR", sync::SyncKind::full);
  });
  CHECK(marks(fused.store()) == 0);
}

namespace {

// "p000" to "p299": HR anchors and employee ids that sort as they count.
std::string numbered(int i) {
  char id[8];
  std::snprintf(id, sizeof id, "p%03d", i);
  return id;
}

}  // namespace

TEST_CASE("batches of 500 leave the store that batches of 2 leave") {
  // What the evaluations of one batch decide together (final anchors claimed, the DN index,
  // references to objects provisioned in the batch) must not depend on where batches end. Nor
  // must reading each batch ahead, while the one before it computes: a batch of 2 often
  // changes what the next one reads (the manager it joins to, the anchor it wants).
  Side small(true), large(true), unread(true);
  unread.read_ahead = false;
  auto stage = [&](auto&& run) {
    run(small, size_t{2});
    run(large, size_t{500});
    run(unread, size_t{2});
    CHECK(differences(dump(large.store()), dump(small.store())) == "");
    CHECK(differences(dump(unread.store()), dump(small.store())) == "");
  };
  stage([](Side& s, size_t) {
    // The Directory files adds under their uid, and holds "p007" already (joined to nobody).
    store::write_add_named_anchors(s.store(), s.directory,
                                   store::AddNamedAnchors({{"inetOrgPerson", "uid"}}));
    s.import(s.directory, {state("inetOrgPerson", "p007", {{"uid", "p007"}})});
    std::vector<importer::ImportRecord> people;
    // Every tenth has a manager, provisioned in the same batch or an earlier one.
    for (int i = 0; i < 300; ++i)
      people.push_back(hr_person(numbered(i), i % 10 == 3 ? "p000" : ""));
    // Two HR records of one employee: two MV objects that want the same final anchor in one
    // batch. The first in the batch gets it, the other a provisional anchor.
    people.push_back(state("person", "p150-again", person("p150", "Person p150 again")));
    people.push_back(hr_group("0-g", {"p001", "p002", "p299"}));
    s.import(s.hr, std::move(people));
  });
  stage([](Side& s, size_t batch) { s.step("HR", sync::SyncKind::full, batch); });
  CHECK(large.provisioned == small.provisioned);
  CHECK(large.directory_anchor_of("p150") == "p150");
  CHECK(exporter::is_provisional_anchor(large.directory_anchor_of("p150-again")));
  CHECK(exporter::is_provisional_anchor(large.directory_anchor_of("p007")));
  CHECK(large.directory_anchor_of("p008") == "p008");

  // Badges joins every other person: updates of the pending adds.
  stage([](Side& s, size_t) {
    std::vector<importer::ImportRecord> badges;
    for (int i = 0; i < 300; i += 2) {
      const std::string id = numbered(i);
      badges.push_back(state("badge", "B-" + id, {{"employeeId", id}, {"mail", id + "@badge"}}));
    }
    // Two more badges of p010: with batches of 2 one of the three starts a batch after the one
    // that links B-p010, and read ahead, its join candidate's links do not show that link yet.
    for (const char* dup : {"B-p010-dup", "B-p010-dup2"})
      badges.push_back(state("badge", dup, {{"employeeId", "p010"}, {"mail", "dup@badge"}}));
    s.import(s.badges, std::move(badges));
  });
  stage([](Side& s, size_t batch) { s.step("Badges", sync::SyncKind::full, batch); });
  CHECK(marks(large.store()) == 0);
}
