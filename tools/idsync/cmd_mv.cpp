// idsync mv search / mv show: look into the metaverse, read-only beside a running sync.
//
// mv search --json prints an array, one object per match, streamed from the store:
//   {"id": 7, "object_type": "person", "deleted": false,
//    "attributes": {"displayName": ["Ada Lovelace"], "manager": [{"mv_id": 3}], ...}}
// mv show --json prints one such object, each attribute's provenance and the linked
// connector-space objects:
//   {..., "provenance": {"displayName": {"connector": "HR", "rule": "In from HR",
//                                        "precedence": 100, "when_ms": 1767225600000}},
//    "links": [{"connector": "HR", "anchor": "E1"}, {"connector": "Badges", "anchor": "B7"}]}
// Text values print as strings, binary ones as {"base64": "..."}, references as {"mv_id": N}.
// A connector id the manifest no longer names prints as "#<id>".
#include <boost/json.hpp>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "json_out.hpp"
#include "mv_json.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct SearchArgs {
  std::vector<std::string> attrs;  // NAME=VALUE
  std::string object_type;
  size_t limit = 0;  // 0: all
  bool json = false;
};

struct ShowArgs {
  uint64_t id = 0;
  bool json = false;
};

// The store read-only, and the connector names by store id; no store when nothing ran yet.
struct OpenMetaverse {
  std::unique_ptr<runtime::Runtime> rt;
  std::unique_ptr<store::Store> store;
  std::map<uint32_t, std::string> connector_names;
};

OpenMetaverse open_metaverse(const Context& ctx) {
  OpenMetaverse o;
  o.rt = ctx.load_runtime();
  o.store = Context::open_store_for_reading(*o.rt);
  if (!o.store) return o;
  for (const auto& c : o.rt->manifest().connectors)
    if (auto id = o.store->find_connector_id(c.name)) o.connector_names[*id] = c.name;
  return o;
}

bool matches(const store::MvObject& o, const std::vector<AttrFilter>& filters,
             const SearchArgs& a) {
  if (!a.object_type.empty() && !store::iequals(o.object_type, a.object_type)) return false;
  for (const auto& f : filters) {
    const auto* attr = o.find(f.name);
    if (!attr) return false;
    bool any = false;
    for (const auto& v : attr->values) any = any || v == f.value;
    if (!any) return false;
  }
  return true;
}

int search(const Context& ctx, const SearchArgs& a) {
  const std::vector<AttrFilter> filters = parse_attr_filters(a.attrs);
  OpenMetaverse mv = open_metaverse(ctx);
  size_t shown = 0;
  if (a.json) std::cout << "[";
  if (mv.store) {
    store::MetaverseStore(*mv.store).for_each([&](const store::MvObject& o) {
      if (!matches(o, filters, a)) return true;
      if (a.json) {
        std::cout << (shown ? ",\n" : "\n") << json::serialize(mv_object_json(o));
      } else {
        const auto* name = o.find("displayName");
        std::cout << o.id << "\t" << o.object_type << (o.deleted ? "\tdeleted" : "") << "\t"
                  << (name ? name->values.front() : "") << "\n";
      }
      ++shown;
      return a.limit == 0 || shown < a.limit;
    });
  }
  if (a.json)
    std::cout << (shown ? "\n]\n" : "]\n");
  else
    std::cerr << shown << " object" << (shown == 1 ? "" : "s") << "\n";
  return kExitOk;
}

std::string connector_name(const OpenMetaverse& mv, uint32_t id) {
  auto it = mv.connector_names.find(id);
  return it != mv.connector_names.end() ? it->second : "#" + std::to_string(id);
}

int show(const Context& ctx, const ShowArgs& a) {
  OpenMetaverse mv = open_metaverse(ctx);
  std::optional<store::MvObject> o;
  if (mv.store) o = store::MetaverseStore(*mv.store).get(a.id);
  if (!o) throw Exit{kExitFailed, "the metaverse has no object with id " + std::to_string(a.id)};
  const auto links = store::Links(*mv.store).links_of(a.id);
  const auto name_of = [&](uint32_t id) { return connector_name(mv, id); };

  if (a.json) {
    json::object out = mv_object_json(*o);
    out["provenance"] = provenance_json(*o, name_of);
    out["links"] = links_json(links, name_of);
    std::cout << json::serialize(out) << "\n";
    return kExitOk;
  }
  std::cout << "id:          " << o->id << "\n";
  std::cout << "object type: " << o->object_type << (o->deleted ? " (deleted)" : "") << "\n";
  std::cout << "attributes:\n";
  for (const auto& attr : o->attributes) {
    const auto& p = attr.provenance;
    for (const auto& v : attr.values)
      std::cout << "  " << attr.name << ": " << value_text(attr.type, v) << "\n";
    std::cout << "    from " << name_of(p.connector_id) << " by \"" << p.rule << "\" (precedence "
              << p.precedence << ", " << utc_time(p.when_unix_ms) << ")\n";
  }
  std::cout << "connectors:\n";
  for (const auto& l : links)
    std::cout << "  " << name_of(l.connector_id) << ": "
              << (is_printable_text(l.anchor) ? l.anchor : "base64:" + base64(l.anchor)) << "\n";
  return kExitOk;
}

}  // namespace

void add_mv_command(CLI::App& app, Context& ctx) {
  auto* mv = app.add_subcommand("mv", "Look into the metaverse");
  mv->require_subcommand(1);

  auto sa = std::make_shared<SearchArgs>();
  auto* s = mv->add_subcommand("search", "List metaverse objects (all of them unless --limit)");
  s->add_option("--attr", sa->attrs, "NAME=VALUE: an attribute holding this value (repeat to AND)");
  s->add_option("--object-type", sa->object_type, "Only this object type");
  s->add_option("--limit", sa->limit, "Stop after N objects");
  s->add_flag("--json", sa->json, "Print a JSON array");
  s->callback([&ctx, sa] { ctx.action = [&ctx, sa] { return search(ctx, *sa); }; });

  auto sh = std::make_shared<ShowArgs>();
  auto* w = mv->add_subcommand("show", "Show one metaverse object with provenance and links");
  w->add_option("--id", sh->id, "The object's metaverse id")->required();
  w->add_flag("--json", sh->json, "Print JSON");
  w->callback([&ctx, sh] { ctx.action = [&ctx, sh] { return show(ctx, *sh); }; });
}

}  // namespace idsync::cli
