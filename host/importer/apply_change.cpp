#include "importer/apply_change.hpp"

#include <algorithm>

#include "importer/value_changes.hpp"

namespace idsync::importer {

using store::Attribute;
using store::CsObject;
using store::PendingChange;

namespace {

void add_unique(std::vector<std::string>& values, const std::string& v) {
  if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
}

// Applies attribute operations on top of `attributes`.
void apply_ops(const std::vector<AttrChange>& changes, std::vector<Attribute>& attributes) {
  for (const AttrChange& c : changes) {
    auto it = std::find_if(attributes.begin(), attributes.end(),
                           [&](const Attribute& a) { return store::iequals(a.name, c.name); });
    if (it == attributes.end()) {
      if (c.op == IDSYNC_ATTR_REMOVE || c.values.empty()) continue;
      attributes.push_back(Attribute{c.name, c.type, {}});
      it = attributes.end() - 1;
    }
    switch (c.op) {
      case IDSYNC_ATTR_REPLACE:
        it->values.clear();
        for (const auto& v : c.values) add_unique(it->values, v);
        it->type = c.type;
        break;
      case IDSYNC_ATTR_ADD:
        for (const auto& v : c.values) add_unique(it->values, v);
        break;
      case IDSYNC_ATTR_REMOVE:
        if (c.values.empty()) {
          it->values.clear();
        } else {
          std::erase_if(it->values, [&](const std::string& v) {
            return std::find(c.values.begin(), c.values.end(), v) != c.values.end();
          });
        }
        break;
    }
  }
  store::canonicalize(attributes);
}

// Names of attributes whose values differ between two canonical attribute lists.
std::vector<std::string> changed_names(const std::vector<Attribute>& before,
                                       const std::vector<Attribute>& after) {
  std::vector<std::string> names;
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && store::iless(b->name, a->name))) {
      names.push_back(b++->name);
    } else if (b == before.end() || store::iless(a->name, b->name)) {
      names.push_back(a++->name);
    } else {
      if (b->values != a->values || b->type != a->type) names.push_back(a->name);
      ++a;
      ++b;
    }
  }
  return names;
}

void merge_names(std::vector<std::string>& into, const std::vector<std::string>& more) {
  for (const auto& n : more)
    if (std::none_of(into.begin(), into.end(),
                     [&](const std::string& x) { return store::iequals(x, n); }))
      into.push_back(n);
  std::sort(into.begin(), into.end(),
            [](const std::string& x, const std::string& y) { return store::iless(x, y); });
}

CsObject new_object(const ImportRecord& r) {
  CsObject o;
  o.anchor = r.anchor;
  o.object_type = r.object_type;
  o.dn = r.dn;
  o.pending = PendingChange::add;
  apply_ops(r.attributes, o.attributes);
  return o;
}

// Moves `staged` to `attributes`/`dn`, keeping track of what the last sync saw.
void stage_change(CsObject& staged, std::vector<Attribute> attributes, const std::string& dn,
                  const std::string& object_type, store::ImportCounters& counters) {
  const auto changed = changed_names(staged.attributes, attributes);
  const bool moved = !dn.empty() && dn != staged.dn;
  if (changed.empty() && !moved) {
    ++counters.unchanged;
    return;
  }
  // A changed object is no first import's any more: the change is what the sync must see (in a
  // connector not yet synced, the sync reads every object anyway).
  staged.first_import = false;
  if (staged.pending == PendingChange::add) {
    // Still unsynced: it remains an add with its newest values.
    ++counters.updates;
  } else {
    if (moved) {
      if (staged.previous_dn.empty()) staged.previous_dn = staged.dn;
      if (dn == staged.previous_dn) staged.previous_dn.clear();  // moved back where sync saw it
    }
    merge_names(staged.changed_attributes, changed);
    record_value_changes(staged.value_changes, staged.attributes, attributes, changed);
    if (!staged.changed_attributes.empty()) {
      staged.pending = PendingChange::update;
      ++counters.updates;
    } else if (!staged.previous_dn.empty()) {
      staged.pending = PendingChange::rename;
      ++counters.renames;
    } else {
      staged.pending = PendingChange::none;
      ++counters.unchanged;
    }
  }
  staged.attributes = std::move(attributes);
  if (!dn.empty()) staged.dn = dn;
  if (!object_type.empty()) staged.object_type = object_type;
}

}  // namespace

void apply_record(const ImportRecord& r, std::optional<CsObject>& staged,
                  store::ImportCounters& counters) {
  ++counters.objects;
  if (staged && staged->awaiting_add) {
    // A placeholder provisioned under this anchor: the connected system has the object after
    // all (an export whose result was lost, or one created there meanwhile). Its state is
    // what the system holds, new to the sync; a delete of it changes nothing.
    if (r.change == IDSYNC_CHANGE_DELETE) {
      ++counters.unchanged;
      return;
    }
    const std::string dn = staged->dn;
    staged = new_object(r);
    if (staged->dn.empty()) staged->dn = dn;
    ++counters.adds;
    return;
  }
  const bool present = staged && staged->pending != PendingChange::remove;
  switch (r.change) {
    case IDSYNC_CHANGE_STATE:
    case IDSYNC_CHANGE_ADD:
    case IDSYNC_CHANGE_UPDATE: {
      if (!staged) {
        // An update of an object never seen (scope change, first delta) carries all we know.
        staged = new_object(r);
        ++counters.adds;
        return;
      }
      if (!present) {
        // Deleted and back before a sync consumed the delete: the sync sees an update.
        CsObject back = new_object(r);
        back.pending = PendingChange::update;
        back.changed_attributes = changed_names(staged->attributes, back.attributes);
        back.previous_dn =
            staged->previous_dn.empty() && staged->dn != back.dn ? staged->dn : staged->previous_dn;
        if (back.dn.empty()) back.dn = staged->dn;
        staged = std::move(back);
        ++counters.updates;
        return;
      }
      std::vector<Attribute> attributes;
      if (r.change == IDSYNC_CHANGE_UPDATE) attributes = staged->attributes;
      apply_ops(r.attributes, attributes);
      stage_change(*staged, std::move(attributes), r.dn, r.object_type, counters);
      return;
    }
    case IDSYNC_CHANGE_DELETE:
      apply_missing(staged, counters);
      return;
  }
}

void apply_missing(std::optional<CsObject>& staged, store::ImportCounters& counters) {
  if (!staged || staged->pending == PendingChange::remove) return;
  ++counters.deletes;
  if (staged->pending == PendingChange::add) {
    staged.reset();  // never synced: nothing downstream knows it
    return;
  }
  // A first import's object that reaches here marked is a synced one (first_import.hpp): the
  // sync consumes its delete like any other.
  staged->first_import = false;
  staged->pending = PendingChange::remove;
}

}  // namespace idsync::importer
