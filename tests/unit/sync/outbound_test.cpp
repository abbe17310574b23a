// Outbound sync: provisioning into a target connector, value-level pending exports,
// deprovisioning, and crash safety.
#include "exporter/provisional_anchor.hpp"
#include "store/add_named_anchors.hpp"
#include "store/codec.hpp"
#include "store/dirty_attributes.hpp"
#include "store/pending_export.hpp"
#include "support.hpp"
#include "sync/outbound_sync.hpp"
#include "sync/rule_generation.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

// HR's rules plus a Directory target: people outside the "Hidden" department are provisioned
// with a DN, cn, mail, a multi-valued objectClass, and a description only set once.
std::string with_directory() {
  std::string rules = rules_json();
  rules.erase(rules.rfind(']'));
  return rules + R"J(,
    {"name": "Out to Directory", "direction": "outbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 100,
     "scoping": [[{"attribute": "department", "operator": "NOTEQUAL", "value": "Hidden"}]],
     "transformations": [
       {"flow": "expression", "target": "dn",
        "expression": "\"uid=\" & [employeeId] & \",ou=people\""},
       {"flow": "direct", "target": "uid", "source": "employeeId"},
       {"flow": "direct", "target": "cn", "source": "displayName"},
       {"flow": "direct", "target": "mail", "source": "mail"},
       {"flow": "expression", "target": "ou",
        "expression": "IIF([department] = \"Sales\", Split(\"Sales,Field\", \",\"), [department])"},
       {"flow": "constant", "target": "objectClass", "value": ["top", "inetOrgPerson"]},
       {"flow": "expression", "target": "description", "expression": "\"first: \" & [displayName]",
        "apply_once": true},
       {"flow": "expression", "target": "title", "expression": "CStr(CNum([title]))"}]}
  ]})J";
}

struct Outbound : SyncFixture {
  Outbound() {
    set_rules(with_directory());
    directory = store().connector_id("Directory");
  }
  sync::OutboundResult outbound(sync::OutboundOptions options = {}) {
    options.now_unix_ms = 1'700'000'000'000;
    return sync::OutboundSync(store(), rules(), options).run();
  }
  std::optional<std::string> directory_anchor(uint32_t connector, const std::string& anchor) {
    auto id = mv_id(connector, anchor);
    REQUIRE(id);
    return store::Links(store()).anchor_of(*id, directory);
  }
  std::optional<store::PendingExport> pending(const std::string& anchor) {
    return store::PendingExports(store(), directory).get(anchor);
  }
  std::vector<std::pair<std::string, store::PendingExport>> all_pending() {
    std::vector<std::pair<std::string, store::PendingExport>> out;
    store::PendingExports(store(), directory).for_each([&](std::string_view a, const auto& pe) {
      out.emplace_back(std::string(a), pe);
      return true;
    });
    return out;
  }
  // What an export of the pending add would leave: the object under its real anchor, its
  // values imported, no pending export (as if exported and then imported back).
  std::string export_and_reimport(const std::string& provisional, const std::string& real) {
    auto pe = pending(provisional);
    REQUIRE(pe);
    rocksdb::WriteBatch b;
    const store::ConnectorSpace cs(store(), directory);
    store::CsObject o;
    o.anchor = real;
    o.object_type = pe->object_type;
    o.dn = pe->dn;
    for (const auto& d : pe->attributes) o.attributes.push_back({d.name, d.type, d.values});
    store::canonicalize(o.attributes);
    std::string v;
    store::encode_cs_object(o, v);
    b.Delete(store().family(store::Family::cs), cs.object_key(provisional));
    b.Put(store().family(store::Family::cs), cs.object_key(real), v);
    const uint64_t id = *store::Links(store()).mv_of(directory, provisional);
    store::Links(store()).unlink(b, directory, provisional);
    store().write(b);
    rocksdb::WriteBatch b2;
    store::Links(store()).link(b2, directory, real, id);
    store::PendingExports(store(), directory).remove(b2, provisional);
    store().write(b2);
    return real;
  }
  uint32_t directory = 0;
};

const store::AttributeDelta* delta(const store::PendingExport& pe, const std::string& name,
                                   store::ValueOp op) {
  return pe.find(name, op);
}

}  // namespace

TEST_CASE("a person in scope is provisioned: a provisional CS object with a pending add") {
  Outbound f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("E2", "Bob", "Hidden"))});
  f.full("HR");
  const auto r = f.outbound();
  CHECK(r.completed);
  CHECK(r.objects == 2);
  CHECK(r.provisioned == 1);
  CHECK(r.errors == 0);
  const auto anchor = f.directory_anchor(f.hr, "h1");
  REQUIRE(anchor);
  CHECK(exporter::is_provisional_anchor(*anchor));
  CHECK_FALSE(f.directory_anchor(f.hr, "h2"));  // out of scope: not provisioned
  auto cs = f.cs(f.directory, *anchor);
  REQUIRE(cs);
  CHECK(cs->object_type == "inetOrgPerson");
  CHECK(cs->dn == "uid=E1,ou=people");
  auto pe = f.pending(*anchor);
  REQUIRE(pe);
  CHECK(pe->kind == store::ExportKind::add);
  CHECK(pe->dn == "uid=E1,ou=people");
  REQUIRE(delta(*pe, "cn", store::ValueOp::replace));
  CHECK(delta(*pe, "cn", store::ValueOp::replace)->values == std::vector<std::string>{"Ann"});
  CHECK(delta(*pe, "objectClass", store::ValueOp::replace)->values ==
        std::vector<std::string>{"top", "inetOrgPerson"});
  CHECK(delta(*pe, "ou", store::ValueOp::replace)->values ==
        std::vector<std::string>{"Sales", "Field"});
  CHECK(delta(*pe, "description", store::ValueOp::replace)->values ==
        std::vector<std::string>{"first: Ann"});
  CHECK_FALSE(pe->find("dn", store::ValueOp::replace));     // the DN is not an attribute
  CHECK_FALSE(pe->find("title", store::ValueOp::replace));  // NULL: nothing to create with
  // Every mark is consumed.
  CHECK_FALSE(store::DirtyAttributes(f.store()).get(*f.mv_id(f.hr, "h1")));
  // A second pass has nothing to do.
  CHECK(f.outbound().objects == 0);
}

TEST_CASE("a provisioned object's DN finds it, unless another object holds that DN already") {
  Outbound f;
  // An object of the Directory already holds E2's DN.
  const store::ConnectorSpace cs(f.store(), f.directory);
  rocksdb::WriteBatch b;
  b.Put(f.store().family(store::Family::cs_dn), cs.dn_key("uid=E2,ou=people"), "existing-2");
  f.store().write(b);
  f.import(f.hr,
           {state("person", "h1", person("E1", "Ann")), state("person", "h2", person("E2", "Bob")),
            state("person", "h3", person("E3", "Cy"))});
  f.full("HR");
  sync::OutboundOptions options;
  options.batch_size = 2;  // the DN entries of more than one batch
  CHECK(f.outbound(options).provisioned == 3);
  for (const char* hr : {"h1", "h3"}) {
    const auto anchor = f.directory_anchor(f.hr, hr);
    REQUIRE(anchor);
    const auto placeholder = f.cs(f.directory, *anchor);
    REQUIRE(placeholder);
    CHECK(cs.anchor_by_dn(placeholder->dn) == anchor);
  }
  CHECK(cs.anchor_by_dn("uid=E2,ou=people") == std::optional<std::string>("existing-2"));
}

TEST_CASE("changes before the export fold into the pending add") {
  Outbound f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  f.import(f.hr, {state("person", "h1", person("E1", "Ann Smith"))});
  f.delta("HR");
  const auto r = f.outbound();
  CHECK(r.objects == 1);
  CHECK(r.provisioned == 0);
  CHECK(r.updated == 1);
  const auto anchor = *f.directory_anchor(f.hr, "h1");
  auto pe = f.pending(anchor);
  REQUIRE(pe);
  CHECK(pe->kind == store::ExportKind::add);
  CHECK(delta(*pe, "cn", store::ValueOp::replace)->values == std::vector<std::string>{"Ann Smith"});
  // apply once: the description keeps its first value
  CHECK(delta(*pe, "description", store::ValueOp::replace)->values ==
        std::vector<std::string>{"first: Ann"});
}

TEST_CASE("an exported object gets value-level updates and renames") {
  Outbound f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  f.export_and_reimport(*f.directory_anchor(f.hr, "h1"), "E1");

  SECTION("one attribute changed: one replace") {
    f.import(f.hr, {state("person", "h1", person("E1", "Ann Smith"))});
    f.delta("HR");
    CHECK(f.outbound().updated == 1);
    auto pe = f.pending("E1");
    REQUIRE(pe);
    CHECK(pe->kind == store::ExportKind::update);
    REQUIRE(pe->attributes.size() == 1);
    CHECK(pe->attributes[0].name == "cn");
    CHECK(pe->attributes[0].op == store::ValueOp::replace);
    CHECK(pe->attributes[0].values == std::vector<std::string>{"Ann Smith"});
    CHECK(pe->new_dn.empty());
  }
  SECTION("a multi-valued attribute changes by values, and the DN by a rename") {
    Attrs a = person("E1", "Ann", "Research");
    f.import(f.hr, {state("person", "h1", a)});
    f.delta("HR");
    f.outbound();
    auto pe = f.pending("E1");
    REQUIRE(pe);
    // ou was {Sales, Field}, is {Research}: a remove of both and an add of one, since the
    // target had more than one value.
    REQUIRE(delta(*pe, "ou", store::ValueOp::add));
    CHECK(delta(*pe, "ou", store::ValueOp::add)->values == std::vector<std::string>{"Research"});
    CHECK(delta(*pe, "ou", store::ValueOp::remove)->values ==
          std::vector<std::string>{"Field", "Sales"});
    CHECK_FALSE(delta(*pe, "cn", store::ValueOp::replace));
  }
  SECTION("an unchanged MV object gives no pending export") {
    // Evaluated again (as after an outbound rule change), it still gives nothing.
    rocksdb::WriteBatch b;
    store::DirtyAttributes(f.store()).mark(b, *f.mv_id(f.hr, "h1"), {}, true);
    f.store().write(b);
    const auto r = f.outbound();
    CHECK(r.objects == 1);
    CHECK(r.updated == 0);
    CHECK_FALSE(f.pending("E1"));
  }
  SECTION("leaving scope deprovisions: a pending delete, and the link goes") {
    const uint64_t ann = *f.mv_id(f.hr, "h1");
    f.import(f.hr, {state("person", "h1", person("E1", "Ann", "Hidden"))});
    f.delta("HR");
    const auto r = f.outbound();
    CHECK(r.deprovisioned == 1);
    auto pe = f.pending("E1");
    REQUIRE(pe);
    CHECK(pe->kind == store::ExportKind::remove);
    CHECK(pe->dn == "uid=E1,ou=people");
    CHECK_FALSE(store::Links(f.store()).anchor_of(ann, f.directory));
    CHECK(f.cs(f.directory, "E1"));  // stays until the delete is exported and imported
  }
}

TEST_CASE("a provisioned object never exported is withdrawn when it leaves scope") {
  Outbound f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  const std::string anchor = *f.directory_anchor(f.hr, "h1");
  f.import(f.hr, {state("person", "h1", person("E1", "Ann", "Hidden"))});
  f.delta("HR");
  const auto r = f.outbound();
  CHECK(r.deprovisioned == 0);
  CHECK(f.all_pending().empty());
  CHECK_FALSE(f.cs(f.directory, anchor));
  CHECK_FALSE(f.directory_anchor(f.hr, "h1"));
}

TEST_CASE("a deleted MV object is deprovisioned everywhere and then removed") {
  Outbound f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  f.export_and_reimport(*f.directory_anchor(f.hr, "h1"), "E1");
  const uint64_t ann = *f.mv_id(f.hr, "h1");
  f.import(f.hr, {deleted("person", "h1")});
  sync::InboundOptions o;
  o.deprovisioning = sync::Deprovisioning::delete_mv_when_last_authoritative_source_goes;
  f.delta("HR", o);
  REQUIRE(store::MetaverseStore(f.store()).get(ann)->deleted);
  const auto r = f.outbound();
  CHECK(r.deprovisioned == 1);
  CHECK(r.purged == 1);
  CHECK(f.pending("E1")->kind == store::ExportKind::remove);
  CHECK_FALSE(store::MetaverseStore(f.store()).get(ann));
  CHECK(store::Links(f.store()).links_of(ann).empty());
}

TEST_CASE("an expression error keeps the object's mark and writes nothing of it") {
  Outbound f;
  Attrs bad = person("E1", "Ann");
  bad["title"] = "not a number";
  f.import(f.hr, {state("person", "h1", bad), state("person", "h2", person("E2", "Bob"))});
  f.full("HR");
  const auto r = f.outbound();
  CHECK(r.errors == 1);
  REQUIRE(r.error_list.size() == 1);
  CHECK(r.error_list[0].anchor == "mv:" + std::to_string(*f.mv_id(f.hr, "h1")));
  CHECK(r.provisioned == 1);
  CHECK_FALSE(f.directory_anchor(f.hr, "h1"));
  CHECK(store::DirtyAttributes(f.store()).get(*f.mv_id(f.hr, "h1")));
  // Fixed at the source, the next pass provisions it.
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.delta("HR");
  CHECK(f.outbound().provisioned == 1);
  CHECK(f.directory_anchor(f.hr, "h1"));
}

TEST_CASE("an outbound pass stopped after a batch and rerun gives the uninterrupted result") {
  auto run = [](bool crash) {
    Outbound f;
    std::vector<importer::ImportRecord> records;
    for (int i = 0; i < 25; ++i)
      records.push_back(state("person", "h" + std::to_string(100 + i),
                              person("E" + std::to_string(i), "P" + std::to_string(i),
                                     i % 4 == 0 ? "Hidden" : "Sales")));
    f.import(f.hr, records);
    f.full("HR");
    sync::OutboundOptions o;
    o.batch_size = 4;
    if (crash) {
      o.stop_after_batches = 2;
      CHECK_FALSE(f.outbound(o).completed);
      o.stop_after_batches.reset();
    }
    CHECK(f.outbound(o).completed);
    return f.all_pending();
  };
  const auto interrupted = run(true);
  const auto whole = run(false);
  CHECK(interrupted.size() == 18);
  CHECK(interrupted == whole);
}

TEST_CASE("a Full Sync re-evaluates outbound flow when the outbound rules changed since") {
  Outbound f;
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h2", person("E2", "Bob"))});
  f.full("HR");
  f.outbound();
  f.export_and_reimport(*f.directory_anchor(f.hr, "h1"), "E1");
  f.export_and_reimport(*f.directory_anchor(f.hr, "h2"), "E2");
  auto marked = [&] {
    size_t n = 0;
    store::DirtyAttributes(f.store()).for_each([&](uint64_t, const store::DirtySet&) {
      ++n;
      return true;
    });
    return n;
  };

  SECTION("rules unchanged: nothing is marked, nothing to evaluate") {
    f.full("HR");
    CHECK(marked() == 0);
    CHECK(f.outbound().objects == 0);
  }
  SECTION("an outbound rule changed: every linked object is evaluated, and the change flows") {
    std::string rules = with_directory();
    rules.replace(rules.find("first: "), 7, "First: ");
    rules.replace(rules.find("\"apply_once\": true"), 18, "\"apply_once\": false");
    f.set_rules(rules);
    f.full("HR");
    CHECK(marked() == 2);
    const auto r = f.outbound();
    CHECK(r.objects == 2);
    CHECK(r.updated == 2);
    auto pe = f.pending("E1");
    REQUIRE(pe);
    CHECK(delta(*pe, "description", store::ValueOp::replace)->values ==
          std::vector<std::string>{"First: Ann"});
    // The next Full Sync under the same rules has nothing to re-evaluate.
    f.full("HR");
    CHECK(marked() == 0);
  }
  SECTION("an edit undone is still a change: objects were evaluated under the edit") {
    std::string edited = with_directory();
    edited.replace(edited.find("first: "), 7, "First: ");
    f.set_rules(edited);
    f.full("HR");
    f.outbound();
    f.set_rules(with_directory());
    f.full("HR");
    CHECK(marked() == 2);
  }
  SECTION("only inbound rules changed: outbound flow is not re-evaluated for it") {
    std::string rules = with_directory();
    rules.replace(rules.find("\"precedence\": 10,"), 17, "\"precedence\": 11,");
    f.set_rules(rules);
    f.full("HR");
    CHECK(marked() == 0);
  }
  SECTION("an object with an import change is evaluated: its target may have drifted") {
    f.import(f.directory, {state("inetOrgPerson", "E1", {{"uid", "E1"}, {"cn", "Someone"}})});
    f.full("Directory");
    CHECK(marked() == 1);
    CHECK(f.outbound().updated == 1);
    auto pe = f.pending("E1");
    REQUIRE(pe);
    CHECK(delta(*pe, "cn", store::ValueOp::replace)->values == std::vector<std::string>{"Ann"});
  }
}

TEST_CASE("outbound rules that call Now() are re-evaluated by every Full Sync") {
  CHECK(sync::outbound_depends_on_time(parse(R"J({"rules": [
    {"name": "Out", "direction": "outbound", "connector": "Directory", "cs_object_type": "x",
     "mv_object_type": "person", "link_type": "Provision", "precedence": 1,
     "transformations": [{"flow": "expression", "target": "info",
                          "expression": "FormatDateTime(NOW (), \"yyyy\")"}]}]})J")));
  CHECK_FALSE(sync::outbound_depends_on_time(parse(R"J({"rules": [
    {"name": "Out", "direction": "outbound", "connector": "Directory", "cs_object_type": "x",
     "mv_object_type": "person", "link_type": "Provision", "precedence": 1,
     "transformations": [{"flow": "expression", "target": "info",
                          "expression": "\"snow(\" & [knownow]"}]}]})J")));
}

TEST_CASE("a target's sync before the export leaves its placeholders alone") {
  // Directory joins its entries by uid, only those whose objectClass says they are people: a
  // placeholder has no imported objectClass, and must not be judged out of scope for that.
  Outbound f;
  std::string rules = with_directory();
  rules.erase(rules.rfind(']'));
  f.set_rules(rules + R"J(,
    {"name": "In from Directory", "direction": "inbound", "connector": "Directory",
     "cs_object_type": "inetOrgPerson", "mv_object_type": "person", "precedence": 300,
     "scoping": [[{"attribute": "objectClass", "operator": "EQUAL", "value": "inetOrgPerson"}]],
     "join": [[{"cs_attribute": "uid", "mv_attribute": "employeeId"}]],
     "transformations": [{"flow": "constant", "target": "inDirectory", "value": "yes"}]}
  ]})J");
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  const auto anchor = f.directory_anchor(f.hr, "h1");
  REQUIRE(anchor);
  // An earlier export of the add failed: its history must survive.
  auto pe = f.pending(*anchor);
  REQUIRE(pe);
  pe->attempts = 1;
  pe->last_error = store::ExportError{2, 0, "busy", 1'700'000'000'000};
  rocksdb::WriteBatch b;
  store::PendingExports(f.store(), f.directory).put(b, *anchor, *pe);
  f.store().write(b);

  const auto r = f.full("Directory");
  CHECK(r.disconnectors == 0);
  CHECK(r.flow_updates == 0);  // nothing flows from a placeholder, not even a constant
  CHECK(f.outbound().provisioned == 0);
  CHECK(f.directory_anchor(f.hr, "h1") == anchor);
  CHECK(f.mv_of(f.hr, "h1")->find("inDirectory") == nullptr);
  const auto kept = f.pending(*anchor);
  REQUIRE(kept);
  CHECK(kept->attempts == 1);
  CHECK(kept->last_error.has_value());
}

namespace {

// The Directory files an ADD of an inetOrgPerson under its uid, as the file connector does:
// what its schema says, kept where outbound sync reads it.
void files_adds_under_uid(Outbound& f) {
  store::write_add_named_anchors(f.store(), f.directory,
                                 store::AddNamedAnchors({{"inetOrgPerson", "uid"}}));
}

}  // namespace

TEST_CASE("a target that files adds under their uid gets objects under their final anchors") {
  Outbound f;
  files_adds_under_uid(f);
  // E3 is in the directory already, joined to nothing: its anchor is not taken over.
  f.import(f.directory, {state("inetOrgPerson", "E3", {{"uid", "E3"}})});
  f.import(f.hr, {state("person", "h1", person("E1", "Ann")),
                  state("person", "h3", person("E3", "Cid"))});
  f.full("HR");
  CHECK(f.outbound().provisioned == 2);
  CHECK(f.directory_anchor(f.hr, "h1") == "E1");
  const auto ann = f.cs(f.directory, "E1");
  REQUIRE(ann);
  CHECK(ann->awaiting_add);
  CHECK(ann->attributes.empty());
  CHECK(ann->dn == "uid=E1,ou=people");
  const auto add = f.pending("E1");
  REQUIRE(add);
  CHECK(add->kind == store::ExportKind::add);
  REQUIRE(delta(*add, "uid", store::ValueOp::replace));
  CHECK(delta(*add, "uid", store::ValueOp::replace)->values == std::vector<std::string>{"E1"});

  const auto cid = f.directory_anchor(f.hr, "h3");
  REQUIRE(cid);
  CHECK(exporter::is_provisional_anchor(*cid));
  CHECK_FALSE(f.cs(f.directory, *cid)->awaiting_add);
  CHECK_FALSE(f.cs(f.directory, "E3")->awaiting_add);
}

TEST_CASE("a placeholder under its final anchor is withdrawn, not deleted, when it leaves scope") {
  Outbound f;
  files_adds_under_uid(f);
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  REQUIRE(f.directory_anchor(f.hr, "h1") == "E1");
  f.import(f.hr, {state("person", "h1", person("E1", "Ann", "Hidden"))});
  f.delta("HR");
  const auto r = f.outbound();
  CHECK(r.deprovisioned == 0);
  CHECK(f.all_pending().empty());
  CHECK_FALSE(f.cs(f.directory, "E1"));
  CHECK_FALSE(f.directory_anchor(f.hr, "h1"));
}

TEST_CASE("an import that meets a placeholder under its anchor withdraws the add") {
  Outbound f;
  files_adds_under_uid(f);
  f.import(f.hr, {state("person", "h1", person("E1", "Ann"))});
  f.full("HR");
  f.outbound();
  const uint64_t ann = *f.mv_id(f.hr, "h1");
  REQUIRE(f.pending("E1"));

  SECTION("the object is there: its state is staged, and outbound sends only what differs") {
    f.import(f.directory, {state("inetOrgPerson", "E1", {{"uid", "E1"}, {"cn", "Someone"}})});
    const auto there = f.cs(f.directory, "E1");
    REQUIRE(there);
    CHECK_FALSE(there->awaiting_add);
    // The Directory has not been synced yet: a first import's object, a pending add until then.
    CHECK(there->first_import);
    CHECK(store::effective_pending(*there, false) == store::PendingChange::add);
    CHECK_FALSE(f.pending("E1"));
    const auto mark = store::DirtyAttributes(f.store()).get(ann);
    REQUIRE(mark);
    CHECK(mark->object);

    f.outbound();
    CHECK(f.directory_anchor(f.hr, "h1") == "E1");
    const auto pe = f.pending("E1");
    REQUIRE(pe);
    CHECK(pe->kind == store::ExportKind::update);
    REQUIRE(delta(*pe, "cn", store::ValueOp::replace));
    CHECK(delta(*pe, "cn", store::ValueOp::replace)->values == std::vector<std::string>{"Ann"});
    CHECK_FALSE(delta(*pe, "uid", store::ValueOp::replace));
  }
  SECTION("a delete of it changes nothing: it was never there") {
    f.import(f.directory, {deleted("inetOrgPerson", "E1")});
    const auto still = f.cs(f.directory, "E1");
    REQUIRE(still);
    CHECK(still->awaiting_add);
    REQUIRE(f.pending("E1"));
    CHECK(f.pending("E1")->kind == store::ExportKind::add);
  }
}
