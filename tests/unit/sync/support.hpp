// A store with two identity sources, HR (authoritative: projects persons) and Badges (joins on
// employeeId), their rules, and helpers to import into them and sync them.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "importer/page_stager.hpp"
#include "store/connector_space.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "store/sync_queue.hpp"
#include "support/temp_dir.hpp"
#include "sync/inbound_sync.hpp"
#include "sync_rules/loader.hpp"

namespace idsync::testing {

// HR (precedence 10) owns displayName, title and location, and is overridden by Badges for
// mail (the "Badges mail" rule, precedence 5). Badges' displayName and title (precedence 20)
// are fallbacks.
inline std::string rules_json(const std::string& company = "Contoso") {
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
       {"flow": "constant", "target": "company", "value": ")J" +
         company + R"J("},
       {"flow": "expression", "target": "title",
        "expression": "IIF([department] = \"Secret\", AuthoritativeNull, [title])"},
       {"flow": "expression", "target": "location",
        "expression": "IIF([location] = \"unknown\", IgnoreThisFlow, [location])"},
       {"flow": "expression", "target": "badgeNumber", "expression": "CNum([badgeNo])"}]
},
    {"name": "Badges mail", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "badge", "mv_object_type": "person", "precedence": 5,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [{"flow": "direct", "target": "mail", "source": "mail"}]},
    {"name": "Badges", "direction": "inbound", "connector": "Badges",
     "cs_object_type": "badge", "mv_object_type": "person", "precedence": 20,
     "join": [[{"cs_attribute": "employeeId", "mv_attribute": "employeeId"}]],
     "transformations": [
       {"flow": "direct", "target": "displayName", "source": "displayName"},
       {"flow": "direct", "target": "title", "source": "title"}]}
  ]
})J";
}

inline sync_rules::RuleSet parse(const std::string& json) {
  return sync_rules::parse_rules({{"rules.json", json}}, {});
}

using Attrs = std::map<std::string, std::string>;

// One object's full state, as a STATE record (attributes not listed are absent).
inline importer::ImportRecord state(const std::string& type, const std::string& anchor,
                                    const Attrs& attrs) {
  importer::ImportRecord r;
  r.change = IDSYNC_CHANGE_STATE;
  r.object_type = type;
  r.anchor = anchor;
  r.dn = "cn=" + anchor;
  for (const auto& [name, value] : attrs)
    r.attributes.push_back({name, IDSYNC_VALUE_STRING, IDSYNC_ATTR_REPLACE, {value}});
  return r;
}

// A record whose `name` holds references (DNs: every test object's DN is "cn=<anchor>").
inline importer::ImportRecord with_refs(importer::ImportRecord r, const std::string& name,
                                        const std::vector<std::string>& anchors) {
  std::vector<std::string> dns;
  for (const auto& a : anchors) dns.push_back("cn=" + a);
  r.attributes.push_back({name, IDSYNC_VALUE_REFERENCE, IDSYNC_ATTR_REPLACE, dns});
  return r;
}

inline importer::ImportRecord deleted(const std::string& type, const std::string& anchor) {
  importer::ImportRecord r;
  r.change = IDSYNC_CHANGE_DELETE;
  r.object_type = type;
  r.anchor = anchor;
  return r;
}

class SyncFixture {
 public:
  SyncFixture() : store_(store::Store::open(dir_ / "db")), rules_(parse(rules_json())) {
    hr = store_->connector_id("HR");
    badges = store_->connector_id("Badges");
  }

  store::Store& store() { return *store_; }
  void set_rules(const std::string& json) { rules_ = parse(json); }
  const sync_rules::RuleSet& rules() const { return rules_; }

  // A delta import of `records` through the importer, as one page.
  void import(uint32_t connector, std::vector<importer::ImportRecord> records) {
    store::ImportProgress p;
    p.kind = store::ImportKind::delta;
    importer::PageStager stager(*store_, connector, p);
    for (auto& r : records) stager.add(std::move(r));
    stager.commit_page("1");
    stager.finish(true, "wm");
  }

  sync::InboundResult sync(const std::string& connector, sync::SyncKind kind,
                           sync::InboundOptions options = {}) {
    options.kind = kind;
    if (!options.now_unix_ms) options.now_unix_ms = 1'700'000'000'000;
    return sync::InboundSync(*store_, rules_, connector, options).run();
  }
  sync::InboundResult full(const std::string& connector, sync::InboundOptions options = {}) {
    return sync(connector, sync::SyncKind::full, std::move(options));
  }
  sync::InboundResult delta(const std::string& connector, sync::InboundOptions options = {}) {
    return sync(connector, sync::SyncKind::delta, std::move(options));
  }

  std::optional<uint64_t> mv_id(uint32_t connector, const std::string& anchor) {
    return store::Links(*store_).mv_of(connector, anchor);
  }
  std::optional<store::MvObject> mv_of(uint32_t connector, const std::string& anchor) {
    auto id = mv_id(connector, anchor);
    if (!id) return std::nullopt;
    return store::MetaverseStore(*store_).get(*id);
  }
  // The single value of an MV attribute, or "<absent>".
  static std::string value(const store::MvObject& o, const std::string& name) {
    const store::MvAttribute* a = o.find(name);
    if (!a) return "<absent>";
    REQUIRE(a->values.size() == 1);
    return a->values[0];
  }
  std::vector<store::MvObject> metaverse() {
    std::vector<store::MvObject> out;
    store::MetaverseStore(*store_).for_each([&](const store::MvObject& o) {
      out.push_back(o);
      return true;
    });
    return out;
  }
  std::optional<store::CsObject> cs(uint32_t connector, const std::string& anchor) {
    return store::ConnectorSpace(*store_, connector).get(anchor);
  }
  std::vector<std::string> queued(uint32_t connector) {
    std::vector<std::string> out;
    store::SyncQueue(*store_, connector).for_each([&](std::string_view a) {
      out.emplace_back(a);
      return true;
    });
    return out;
  }

  uint32_t hr = 0;
  uint32_t badges = 0;

 private:
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  sync_rules::RuleSet rules_;
};

inline Attrs person(const std::string& id, const std::string& name,
                    const std::string& department = "Sales") {
  return {{"employeeId", id},
          {"displayName", name},
          {"mail", store::lowercase(id) + "@hr.example"},
          {"department", department}};
}

}  // namespace idsync::testing
