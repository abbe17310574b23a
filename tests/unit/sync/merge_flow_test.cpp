// Merge types in inbound attribute flow: proxyAddresses as the union of several sources.
#include <algorithm>

#include "support.hpp"

using namespace idsync;
using namespace idsync::testing;

namespace {

using Values = std::vector<std::string>;

// HR (precedence 10, projects persons) and Badges (20, joins on employeeId) both flow
// proxyAddresses with merge type `merge`; `extra` adds rules to the list.
std::string merge_rules(const std::string& merge, const std::string& extra = "") {
  return R"J({"rules": [
    {"name": "HR persons", "direction": "inbound", "connector": "HR",
     "cs_object_type": "person", "mv_object_type": "person", "link_type": "Provision",
     "precedence": 10,
     "scoping": [[{"attribute": "status", "operator": "NOTEQUAL", "value": "terminated"}]],
     "transformations": [
       {"flow": "direct", "target": "employeeId", "source": "employeeId"},
       {"flow": "direct", "target": "proxyAddresses", "source": "proxyAddresses",
        "merge": ")J" +
         merge + R"J("}]},
    {"name": "Badges", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "badge", "mv_object_type": "person", "precedence": 20,
     "scoping": [[{"attribute": "status", "operator": "NOTEQUAL", "value": "lost"}]],
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [
       {"flow": "direct", "target": "proxyAddresses", "source": "proxyAddresses",
        "merge": ")J" +
         merge + R"J("}]})J" + extra + R"J(
  ]
})J";
}

// A rule of the Mail connector (mailboxes joining on employeeId) with one transformation.
std::string mail_rule(int precedence, const std::string& transformation) {
  return R"J(,
    {"name": "Mail", "direction": "inbound", "connector": "Mail",
     "cs_object_type": "mailbox", "mv_object_type": "person", "precedence": )J" +
         std::to_string(precedence) + R"J(,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [)J" +
         transformation + "]}";
}

const std::string kMailAddresses =
    R"J({"flow": "direct", "target": "proxyAddresses", "source": "proxyAddresses"})J";

// A STATE record with a multi-valued proxyAddresses (none when `addresses` is empty).
importer::ImportRecord with_addresses(const std::string& type, const std::string& anchor,
                                      const Attrs& attrs, Values addresses) {
  importer::ImportRecord r = state(type, anchor, attrs);
  if (!addresses.empty())
    r.attributes.push_back(
        {"proxyAddresses", IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, std::move(addresses)});
  return r;
}

importer::ImportRecord hr_ann(Values addresses, const std::string& status = "active") {
  return with_addresses("person", "h1", {{"employeeId", "E1"}, {"status", status}},
                        std::move(addresses));
}

importer::ImportRecord badge_ann(Values addresses, const std::string& status = "active") {
  return with_addresses("badge", "b1", {{"employeeId", "E1"}, {"status", status}},
                        std::move(addresses));
}

importer::ImportRecord mailbox_ann(Values addresses, const Attrs& more = {}) {
  Attrs attrs{{"employeeId", "E1"}};
  attrs.insert(more.begin(), more.end());
  return with_addresses("mailbox", "m1", attrs, std::move(addresses));
}

// Ann's MV proxyAddresses; empty when absent (a stored attribute is never empty).
Values addresses(SyncFixture& f) {
  auto ann = f.mv_of(f.hr, "h1");
  REQUIRE(ann);
  const store::MvAttribute* a = ann->find("proxyAddresses");
  if (!a) return {};
  REQUIRE_FALSE(a->values.empty());
  return a->values;
}

store::Provenance provenance(SyncFixture& f) {
  auto ann = f.mv_of(f.hr, "h1");
  REQUIRE(ann);
  const store::MvAttribute* a = ann->find("proxyAddresses");
  REQUIRE(a);
  return a->provenance;
}

// HR projects Ann, then her badge joins.
void hr_then_badge(SyncFixture& f, Values hr, Values badge) {
  f.import(f.hr, {hr_ann(std::move(hr))});
  f.full("HR");
  f.import(f.badges, {badge_ann(std::move(badge))});
  f.full("Badges");
  REQUIRE(f.mv_id(f.badges, "b1") == f.mv_id(f.hr, "h1"));
}

}  // namespace

TEST_CASE("Merge: proxyAddresses is the union of both sources' values, sorted bytewise") {
  SyncFixture f;
  f.set_rules(merge_rules("merge"));
  f.import(f.hr, {hr_ann({"smtp:ann@hr.example", "SMTP:ann@contoso.com"})});
  f.full("HR");
  CHECK(addresses(f) == Values{"SMTP:ann@contoso.com", "smtp:ann@hr.example"});

  f.import(f.badges, {badge_ann({"smtp:ann@badges.example", "SMTP:ann@contoso.com"})});
  const auto r = f.full("Badges");
  CHECK(r.joins == 1);
  CHECK(r.flow_updates == 1);
  CHECK(addresses(f) ==
        Values{"SMTP:ann@contoso.com", "smtp:ann@badges.example", "smtp:ann@hr.example"});
  // The provenance names the best-precedence contributor.
  CHECK(provenance(f).connector_id == f.hr);
  CHECK(provenance(f).rule == "HR persons");
  CHECK(provenance(f).precedence == 10);

  SECTION("a change of the other source replaces only its own values") {
    f.import(f.badges, {badge_ann({"smtp:new@badges.example"})});
    f.delta("Badges");
    CHECK(addresses(f) ==
          Values{"SMTP:ann@contoso.com", "smtp:ann@hr.example", "smtp:new@badges.example"});
    CHECK(provenance(f).connector_id == f.hr);
  }
  SECTION("a change of the holder keeps the other source's values") {
    f.import(f.hr, {hr_ann({"smtp:ann2@hr.example"})});
    f.delta("HR");
    CHECK(addresses(f) ==
          Values{"SMTP:ann@contoso.com", "smtp:ann2@hr.example", "smtp:ann@badges.example"});
    CHECK(provenance(f).connector_id == f.hr);
  }
  SECTION("NULL from the holder leaves the other source's values") {
    f.import(f.hr, {hr_ann({})});
    f.delta("HR");
    CHECK(addresses(f) == Values{"SMTP:ann@contoso.com", "smtp:ann@badges.example"});
    CHECK(provenance(f).connector_id == f.badges);
    CHECK(provenance(f).precedence == 20);
  }
  SECTION("an unchanged resync changes nothing") {
    f.import(f.hr, {hr_ann({"SMTP:ann@contoso.com", "smtp:ann@hr.example"})});
    CHECK(f.full("HR").flow_updates == 0);
    CHECK(f.full("Badges").flow_updates == 0);
  }
}

TEST_CASE("Update, the default, keeps the single best source's values") {
  SyncFixture f;
  f.set_rules(merge_rules("update"));
  hr_then_badge(f, {"smtp:ann@hr.example"}, {"smtp:ann@badges.example"});
  CHECK(addresses(f) == Values{"smtp:ann@hr.example"});
}

TEST_CASE("Merge compares exactly, MergeCaseInsensitive counts case variants once") {
  const Values hr{"SMTP:Ann@Contoso.com", "smtp:ann@hr.example"};
  const Values badge{"smtp:ann@contoso.com", "SMTP:ANN@HR.EXAMPLE", "smtp:ann@badges.example"};

  SECTION("merge") {
    SyncFixture f;
    f.set_rules(merge_rules("merge"));
    hr_then_badge(f, hr, badge);
    CHECK(addresses(f) == Values{"SMTP:ANN@HR.EXAMPLE", "SMTP:Ann@Contoso.com",
                                 "smtp:ann@badges.example", "smtp:ann@contoso.com",
                                 "smtp:ann@hr.example"});
  }
  SECTION("merge_case_insensitive") {
    SyncFixture f;
    f.set_rules(merge_rules("merge_case_insensitive"));
    hr_then_badge(f, hr, badge);
    // HR ranks first (precedence 10), so its spellings stay although Badges synced last.
    CHECK(addresses(f) ==
          Values{"SMTP:Ann@Contoso.com", "smtp:ann@badges.example", "smtp:ann@hr.example"});

    // Once HR no longer gives an address, Badges' spelling of it takes its place.
    f.import(f.hr, {hr_ann({"smtp:ann@hr.example"})});
    f.delta("HR");
    CHECK(addresses(f) ==
          Values{"smtp:ann@badges.example", "smtp:ann@contoso.com", "smtp:ann@hr.example"});
  }
}

TEST_CASE("a source leaving takes only its values out of the union") {
  SyncFixture f;
  f.set_rules(merge_rules("merge"));
  hr_then_badge(f, {"smtp:ann@hr.example", "SMTP:ann@contoso.com"},
                {"smtp:ann@badges.example", "SMTP:ann@contoso.com"});
  const uint64_t ann = *f.mv_id(f.hr, "h1");

  SECTION("the other source leaves scope") {
    f.import(f.badges, {badge_ann({"smtp:ann@badges.example"}, "lost")});
    const auto r = f.delta("Badges");
    CHECK(r.disconnectors == 1);
    CHECK(r.flow_updates == 1);
    CHECK_FALSE(f.mv_id(f.badges, "b1"));
    CHECK(addresses(f) == Values{"SMTP:ann@contoso.com", "smtp:ann@hr.example"});
    CHECK(provenance(f).connector_id == f.hr);
  }
  SECTION("the other source is deleted") {
    f.import(f.badges, {deleted("badge", "b1")});
    CHECK(f.delta("Badges").disconnectors == 1);
    CHECK(addresses(f) == Values{"SMTP:ann@contoso.com", "smtp:ann@hr.example"});
  }
  SECTION("the holder leaves scope") {
    f.import(f.hr, {hr_ann({"smtp:ann@hr.example"}, "terminated")});
    CHECK(f.delta("HR").disconnectors == 1);
    auto o = store::MetaverseStore(f.store()).get(ann);
    REQUIRE(o);
    const store::MvAttribute* a = o->find("proxyAddresses");
    REQUIRE(a);
    CHECK(a->values == Values{"SMTP:ann@contoso.com", "smtp:ann@badges.example"});
    CHECK(a->provenance.connector_id == f.badges);
    CHECK(a->provenance.precedence == 20);
  }
}

TEST_CASE("an Update rule at a better precedence than every Merge source replaces the union") {
  SyncFixture f;
  const uint32_t mail = f.store().connector_id("Mail");
  f.set_rules(merge_rules("merge", mail_rule(5, kMailAddresses)));
  hr_then_badge(f, {"smtp:ann@hr.example"}, {"smtp:ann@badges.example"});
  f.import(mail, {mailbox_ann({"SMTP:ann@mail.example"})});
  f.full("Mail");
  CHECK(addresses(f) == Values{"SMTP:ann@mail.example"});
  CHECK(provenance(f).connector_id == mail);

  // A Merge source's next sync does not bring the union back, nor applies the holder's change
  // before the holder syncs.
  f.import(mail, {mailbox_ann({"SMTP:ann2@mail.example"})});
  f.import(f.badges, {badge_ann({"smtp:ann2@badges.example"})});
  f.delta("Badges");
  CHECK(addresses(f) == Values{"SMTP:ann@mail.example"});
  f.delta("Mail");
  CHECK(addresses(f) == Values{"SMTP:ann2@mail.example"});

  SECTION("once it gives NULL, the union returns") {
    f.import(mail, {mailbox_ann({})});
    f.delta("Mail");
    CHECK(addresses(f) == Values{"smtp:ann2@badges.example", "smtp:ann@hr.example"});
    CHECK(provenance(f).connector_id == f.hr);
  }
}

TEST_CASE("a Merge flow giving NULL behind an Update flow giving NULL takes its values out") {
  // Badges' own "Badges extra" rule (15, Update) flows proxyAddresses too, from an attribute the
  // badge lacks: its NULL comes first, yet Badges' merged values must still go.
  SyncFixture f;
  f.set_rules(merge_rules("merge", R"J(,
    {"name": "Badges extra", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "badge", "mv_object_type": "person", "precedence": 15,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [
       {"flow": "direct", "target": "proxyAddresses", "source": "extraAddresses"}]})J"));
  hr_then_badge(f, {"smtp:ann@hr.example"}, {"smtp:ann@badges.example"});
  CHECK(addresses(f) == Values{"smtp:ann@badges.example", "smtp:ann@hr.example"});
  f.import(f.badges, {badge_ann({})});
  f.delta("Badges");
  CHECK(addresses(f) == Values{"smtp:ann@hr.example"});
}

TEST_CASE("an Update rule at a worse precedence than a Merge source takes no part") {
  SyncFixture f;
  const uint32_t mail = f.store().connector_id("Mail");
  f.set_rules(merge_rules("merge", mail_rule(30, kMailAddresses)));
  hr_then_badge(f, {"smtp:ann@hr.example"}, {"smtp:ann@badges.example"});
  f.import(mail, {mailbox_ann({"SMTP:ann@mail.example"})});
  f.full("Mail");
  const Values both{"smtp:ann@badges.example", "smtp:ann@hr.example"};
  CHECK(addresses(f) == both);
  f.import(f.hr, {hr_ann({"smtp:ann@hr.example", "x"})});
  f.delta("HR");
  CHECK(addresses(f) == Values{"smtp:ann@badges.example", "smtp:ann@hr.example", "x"});
}

TEST_CASE("AuthoritativeNull and merged attributes") {
  SyncFixture f;
  const uint32_t mail = f.store().connector_id("Mail");
  const std::string hide = R"J({"flow": "expression", "target": "proxyAddresses",
     "expression": "IIF([hidden] = \"yes\", AuthoritativeNull, NULL)"})J";

  SECTION("at a better precedence it removes the attribute") {
    f.set_rules(merge_rules("merge", mail_rule(5, hide)));
    hr_then_badge(f, {"smtp:ann@hr.example"}, {"smtp:ann@badges.example"});
    f.import(mail, {mailbox_ann({}, {{"hidden", "yes"}})});
    f.full("Mail");
    CHECK(addresses(f).empty());

    // No Merge source brings it back while it holds.
    f.import(f.hr, {hr_ann({"smtp:ann2@hr.example"})});
    f.delta("HR");
    f.import(f.badges, {badge_ann({"smtp:ann2@badges.example"})});
    f.delta("Badges");
    CHECK(addresses(f).empty());

    f.import(mail, {mailbox_ann({}, {{"hidden", "no"}})});
    f.delta("Mail");
    CHECK(addresses(f) == Values{"smtp:ann2@badges.example", "smtp:ann2@hr.example"});
  }
  SECTION("below a Merge source it removes nothing, whatever synced last") {
    f.set_rules(merge_rules("merge", mail_rule(15, hide)));
    hr_then_badge(f, {"smtp:ann@hr.example"}, {"smtp:ann@badges.example"});
    f.import(mail, {mailbox_ann({}, {{"hidden", "yes"}})});
    f.full("Mail");
    const Values both{"smtp:ann@badges.example", "smtp:ann@hr.example"};
    CHECK(addresses(f) == both);
    f.import(f.badges, {badge_ann({"smtp:ann@badges.example"}, "active")});
    f.full("Badges");
    CHECK(addresses(f) == both);
  }
}

TEST_CASE("the same sources give byte-equal metaverses in two runs") {
  // The connectors list values in different orders in the two runs, and the second run syncs
  // Badges with other values first.
  auto run = [](bool second) {
    SyncFixture f;
    f.set_rules(merge_rules("merge_case_insensitive"));
    Values hr{"smtp:b@hr.example", "SMTP:a@contoso.com", "smtp:c@hr.example"};
    Values badge{"smtp:z@badges.example", "smtp:A@contoso.com", "smtp:y@badges.example"};
    if (second) {
      std::reverse(hr.begin(), hr.end());
      std::reverse(badge.begin(), badge.end());
      hr_then_badge(f, hr, {"smtp:old@badges.example"});
      f.import(f.badges, {badge_ann(badge)});
      f.delta("Badges");
    } else {
      hr_then_badge(f, hr, badge);
    }
    std::vector<std::string> encoded;
    for (const store::MvObject& o : f.metaverse()) {
      encoded.emplace_back();
      store::encode_mv_object(o, encoded.back());
    }
    return encoded;
  };
  const auto first = run(false);
  REQUIRE(first.size() == 1);
  CHECK(first == run(true));
}

TEST_CASE("the catalog says which other connectors may flow into an attribute") {
  // What lets a sync of a merged attribute skip asking the other linked objects when none of
  // their connectors flows into it.
  SyncFixture f;
  const uint32_t mail = f.store().connector_id("Mail");
  const auto rules = parse(merge_rules("merge", mail_rule(30, R"J({"flow": "direct",
      "target": "displayName", "source": "displayName"})J")));
  const sync::RuleCatalog catalog(rules, f.store(), nullptr);
  CHECK(catalog.others_may_contribute(f.hr, "person", "proxyaddresses"));      // Badges does
  CHECK(catalog.others_may_contribute(f.badges, "person", "proxyaddresses"));  // HR does
  CHECK(catalog.others_may_contribute(f.hr, "person", "displayname"));         // Mail does
  CHECK_FALSE(catalog.others_may_contribute(mail, "person", "displayname"));
  CHECK_FALSE(catalog.others_may_contribute(f.hr, "person", "employeeid"));
  CHECK_FALSE(catalog.others_may_contribute(f.hr, "group", "proxyaddresses"));  // no such rule
}
