#include "sync/flow.hpp"

#include <set>

namespace idsync::sync {

namespace {

using Kind = Contribution::Kind;

// Sets (or removes, for AuthoritativeNull or no winner) the attribute; true when its values
// changed. A same-valued winner from a different rule only refreshes the provenance.
bool set_attribute(store::MvObject& mv, std::string_view key,
                   const std::optional<SourcedContribution>& winner, int64_t now) {
  store::MvAttribute* current = mv.find(key);
  if (!winner || winner->contribution.kind != Kind::values) {
    if (!current) return false;
    std::erase_if(mv.attributes,
                  [&](const store::MvAttribute& a) { return store::iequals(a.name, key); });
    return true;
  }
  const Contribution& c = winner->contribution;
  const store::Provenance provenance{winner->connector_id, c.rule->name, c.precedence(), now};
  if (!current) {
    mv.attributes.push_back({c.target, c.type, c.values, provenance});
    store::canonicalize(mv.attributes);
    return true;
  }
  if (current->values == c.values && current->type == c.type) {
    const store::Provenance& p = current->provenance;
    if (p.connector_id != provenance.connector_id || p.rule != provenance.rule ||
        p.precedence != provenance.precedence)
      current->provenance = provenance;
    return false;
  }
  current->type = c.type;
  current->values = c.values;
  current->provenance = provenance;
  return true;
}

std::optional<SourcedContribution> better(std::optional<SourcedContribution> a,
                                          std::optional<SourcedContribution> b) {
  if (!a) return b;
  if (!b) return a;
  return b->contribution.precedence() < a->contribution.precedence() ? b : a;
}

}  // namespace

std::vector<std::string> apply_flow(store::MvObject& mv, uint32_t connector_id,
                                    const Contributions& own, const OthersFn& others,
                                    int64_t now_unix_ms) {
  // The attributes to decide: those the object's rules target, and those it holds (a held
  // attribute no rule targets any more behaves as NULL).
  std::set<std::string, std::less<>> keys;
  for (const auto& [key, c] : own) keys.insert(key);
  for (const store::MvAttribute& a : mv.attributes)
    if (a.provenance.connector_id == connector_id) keys.insert(store::lowercase(a.name));

  std::vector<std::string> changed;
  for (const std::string& key : keys) {
    auto it = own.find(key);
    const Contribution* mine = it == own.end() ? nullptr : &it->second;
    std::optional<SourcedContribution> own_best;
    if (mine && mine->decisive()) own_best = SourcedContribution{*mine, connector_id};

    const store::MvAttribute* current = mv.find(key);
    std::optional<SourcedContribution> winner;
    if (current && current->provenance.connector_id != connector_id) {
      if (!own_best || own_best->contribution.precedence() >= current->provenance.precedence)
        continue;  // the holder outranks this object
      winner = own_best;
    } else if (current) {
      if (own_best && own_best->contribution.precedence() <= current->provenance.precedence) {
        winner = own_best;
      } else if (mine && mine->kind == Kind::ignore) {
        continue;
      } else {
        winner = better(own_best, others(key));
      }
    } else {
      winner = better(own_best, others(key));
    }
    const std::string name = current ? current->name : (winner ? winner->contribution.target : key);
    if (set_attribute(mv, key, winner, now_unix_ms)) changed.push_back(name);
  }
  return changed;
}

}  // namespace idsync::sync
