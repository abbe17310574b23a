// idsync cs search / cs show: look at what a connector space holds. Results stream from the
// store one object at a time, so searching a million-object space needs no more memory than
// searching ten.
#include <boost/json.hpp>
#include <iostream>

#include "commands.hpp"
#include "json_out.hpp"
#include "store/connector_space.hpp"
#include "store/import_progress.hpp"

namespace idsync::cli {

namespace json = boost::json;

namespace {

struct SearchArgs {
  std::string connector;
  std::vector<std::string> attrs;  // NAME=VALUE
  std::string object_type;
  std::string pending;
  size_t limit = 0;  // 0: all
  bool json = false;
};

struct ShowArgs {
  std::string connector, anchor, dn;
  bool json = false;
};

// The connector's space, read-only; nullopt when the connector has never staged anything.
struct OpenSpace {
  std::unique_ptr<runtime::Runtime> rt;
  std::unique_ptr<store::Store> store;
  std::optional<store::ConnectorSpace> cs;
  store::SecretAttributes secrets;  // masked wherever values are shown
  bool synced_once = false;         // the connector has completed a Full Sync
};

OpenSpace open_space(const Context& ctx, const std::string& connector) {
  OpenSpace o;
  o.rt = ctx.load_runtime();
  const auto* decl = o.rt->manifest().find_connector(connector);
  if (!decl)
    throw Exit{kExitUsage,
               "no connector named \"" + connector + "\" in " + o.rt->manifest().file.string()};
  o.store = Context::open_store_for_reading(*o.rt);
  if (!o.store) return o;  // nothing imported yet
  if (auto id = o.store->find_connector_id(decl->name)) {
    o.cs.emplace(*o.store, *id);
    o.secrets = store::read_secret_attributes(*o.store, *id);
    o.synced_once = store::ProgressRecords(*o.store, *id).synced_once();
  }
  return o;
}

bool matches(const store::CsObject& o, const std::vector<AttrFilter>& filters,
             const SearchArgs& a) {
  if (!a.object_type.empty() && !store::iequals(o.object_type, a.object_type)) return false;
  if (!a.pending.empty() && store::to_string(o.pending) != a.pending) return false;
  for (const auto& f : filters) {
    if (store::iequals(f.name, "dn")) {
      if (!store::iequals(o.dn, f.value)) return false;
      continue;
    }
    if (store::iequals(f.name, "anchor")) {
      if (o.anchor != f.value) return false;
      continue;
    }
    const auto* attr = o.find(f.name);
    if (!attr) return false;
    bool any = false;
    for (const auto& v : attr->values) any = any || v == f.value;
    if (!any) return false;
  }
  return true;
}

void print_object_text(const store::CsObject& o, const store::SecretAttributes& secrets) {
  std::cout << "anchor:         "
            << (is_printable_text(o.anchor) ? o.anchor : "base64:" + base64(o.anchor)) << "\n";
  if (!o.dn.empty()) std::cout << "dn:             " << o.dn << "\n";
  std::cout << "object type:    " << o.object_type << "\n";
  std::cout << "pending change: " << store::to_string(o.pending) << "\n";
  if (!o.previous_dn.empty()) std::cout << "previous dn:    " << o.previous_dn << "\n";
  if (!o.changed_attributes.empty()) {
    std::cout << "changed:       ";
    for (const auto& n : o.changed_attributes) std::cout << " " << n;
    std::cout << "\n";
  }
  std::cout << "attributes:\n";
  for (const auto& a : o.attributes) {
    if (secrets.contains(a.name)) {
      std::cout << "  " << a.name << ": " << store::secret_mask(a.values.size()) << "\n";
      continue;
    }
    for (const auto& v : a.values)
      std::cout << "  " << a.name << ": "
                << (a.type != IDSYNC_VALUE_BINARY && is_printable_text(v) ? v
                                                                          : "base64:" + base64(v))
                << "\n";
  }
}

int search(const Context& ctx, const SearchArgs& a) {
  const std::vector<AttrFilter> filters = parse_attr_filters(a.attrs);
  if (!a.pending.empty() && a.pending != "none" && a.pending != "add" && a.pending != "update" &&
      a.pending != "delete" && a.pending != "rename")
    throw Exit{kExitUsage,
               "--pending " + a.pending + ": expected one of none, add, update, delete, rename"};
  OpenSpace space = open_space(ctx, a.connector);
  size_t shown = 0;
  if (a.json) std::cout << "[";
  if (space.cs) {
    space.cs->for_each([&](const store::CsObject& stored) {
      const store::CsObject o = store::as_shown(stored, space.synced_once);
      if (!matches(o, filters, a)) return true;
      if (a.json) {
        std::cout << (shown ? ",\n" : "\n") << json::serialize(cs_object_json(o, space.secrets));
      } else {
        std::cout << (is_printable_text(o.anchor) ? o.anchor : "base64:" + base64(o.anchor)) << "\t"
                  << o.object_type << "\t" << store::to_string(o.pending) << "\t" << o.dn << "\n";
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

int show(const Context& ctx, const ShowArgs& a) {
  OpenSpace space = open_space(ctx, a.connector);
  std::optional<store::CsObject> o;
  if (space.cs) {
    if (!a.anchor.empty()) {
      o = space.cs->get(a.anchor);
    } else if (auto anchor = space.cs->anchor_by_dn(a.dn)) {
      o = space.cs->get(*anchor);
    }
  }
  if (!o)
    throw Exit{kExitFailed,
               "connector " + a.connector + " has no object with " +
                   (a.anchor.empty() ? "dn \"" + a.dn + "\"" : "anchor \"" + a.anchor + "\"")};
  o = store::as_shown(std::move(*o), space.synced_once);
  if (a.json)
    std::cout << json::serialize(cs_object_json(*o, space.secrets)) << "\n";
  else
    print_object_text(*o, space.secrets);
  return kExitOk;
}

}  // namespace

void add_cs_command(CLI::App& app, Context& ctx) {
  auto* cs = app.add_subcommand("cs", "Look into a connector space");
  cs->require_subcommand(1);

  auto sa = std::make_shared<SearchArgs>();
  auto* s = cs->add_subcommand("search", "List staged objects (all of them unless --limit)");
  s->add_option("--connector", sa->connector, "Connector name")->required();
  s->add_option(
      "--attr", sa->attrs,
      "NAME=VALUE: an attribute holding this value (repeat to AND; dn= and anchor= work too)");
  s->add_option("--object-type", sa->object_type, "Only this object type");
  s->add_option("--pending", sa->pending,
                "Only this pending change: none, add, update, delete, rename");
  s->add_option("--limit", sa->limit, "Stop after N objects");
  s->add_flag("--json", sa->json, "Print a JSON array");
  s->callback([&ctx, sa] { ctx.action = [&ctx, sa] { return search(ctx, *sa); }; });

  auto sh = std::make_shared<ShowArgs>();
  auto* w = cs->add_subcommand("show", "Show one staged object");
  w->add_option("--connector", sh->connector, "Connector name")->required();
  auto* anchor = w->add_option("--anchor", sh->anchor, "The object's anchor");
  auto* dn = w->add_option("--dn", sh->dn, "The object's distinguished name");
  anchor->excludes(dn);
  w->add_flag("--json", sh->json, "Print JSON");
  w->callback([&ctx, sh] {
    if (sh->anchor.empty() && sh->dn.empty())
      throw CLI::ValidationError("cs show", "give --anchor or --dn");
    ctx.action = [&ctx, sh] { return show(ctx, *sh); };
  });
}

}  // namespace idsync::cli
