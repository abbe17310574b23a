#include "sync/flow.hpp"

#include <algorithm>
#include <set>
#include <span>

namespace idsync::sync {

namespace {

using Kind = Contribution::Kind;

// What the ranking decides for one attribute. It points into the contributions it was decided
// from (the object's own, or a ranking the caller keeps), so that the usual case, one source
// deciding alone, copies no value until the MV object takes them.
struct Outcome {
  const Contribution* first = nullptr;  // the provenance; none or AuthoritativeNull: remove
  uint32_t connector_id = 0;            // first's
  std::vector<std::string> union_values;
  bool merged = false;  // the values are union_values (a Merge type ranked first)

  bool removes() const { return !first || first->kind != Kind::values; }
  const std::vector<std::string>& values() const { return merged ? union_values : first->values; }
};

// Best first: lower precedence number, then lower connector id.
std::vector<SourcedContribution> ranked(const Contribution* own, uint32_t own_connector,
                                        OtherContributions others) {
  std::vector<SourcedContribution> out = std::move(others.decisive);
  if (own) out.push_back(SourcedContribution{*own, own_connector});
  std::stable_sort(out.begin(), out.end(),
                   [](const SourcedContribution& a, const SourcedContribution& b) {
                     const uint32_t pa = a.contribution.precedence();
                     const uint32_t pb = b.contribution.precedence();
                     return pa != pb ? pa < pb : a.connector_id < b.connector_id;
                   });
  return out;
}

// The union of the values of the Merge-type contributions of `ranking` (best first, a Merge
// type first); sorted bytewise so that it does not depend on sync order.
std::vector<std::string> merged_values(std::span<const SourcedContribution> ranking) {
  const bool ignore_case =
      ranking.front().contribution.merge == sync_rules::MergeMode::kMergeCaseInsensitive;
  std::set<std::string, std::less<>> seen;  // what counts once: the value, or its lowercase
  std::vector<std::string> out;
  for (const SourcedContribution& source : ranking) {
    const Contribution& c = source.contribution;
    // Update or AuthoritativeNull ranked below a Merge type takes no part: deciding for them
    // here would make the result depend on which source synced last.
    if (!c.merging()) continue;
    for (const std::string& v : c.values)
      if (seen.insert(ignore_case ? store::lowercase(v) : v).second) out.push_back(v);
  }
  // std::string orders by char_traits<char>::lt, which compares as unsigned char: bytewise.
  std::sort(out.begin(), out.end());
  return out;
}

// `ranking` must outlive the outcome.
Outcome decide(std::span<const SourcedContribution> ranking) {
  Outcome out;
  if (ranking.empty()) return out;
  const Contribution& first = ranking.front().contribution;
  out.first = &first;
  out.connector_id = ranking.front().connector_id;
  if (first.kind == Kind::values && first.merging()) {
    out.merged = true;
    out.union_values = merged_values(ranking);
  }
  return out;
}

// One source deciding alone (it outranks the holder, or holds the attribute itself).
Outcome decide_alone(const Contribution& own, uint32_t connector_id) {
  Outcome out;
  out.first = &own;
  out.connector_id = connector_id;
  if (own.kind == Kind::values && own.merging()) {  // a union of one source: its values, sorted
    const SourcedContribution only[] = {{own, connector_id}};
    out.merged = true;
    out.union_values = merged_values(only);
  }
  return out;
}

// Sets (or removes) the attribute as `outcome` says; true when its values changed. The same
// values from a different rule only refresh the provenance. A new attribute is appended, and
// `appended` set: the caller puts the attributes back in canonical order once, at the end.
bool set_attribute(store::MvObject& mv, std::string_view key, const Outcome& outcome, int64_t now,
                   bool& appended) {
  store::MvAttribute* current = mv.find(key);
  if (outcome.removes()) {
    if (!current) return false;
    std::erase_if(mv.attributes,
                  [&](const store::MvAttribute& a) { return store::iequals(a.name, key); });
    return true;
  }
  const Contribution& c = *outcome.first;
  const std::vector<std::string>& values = outcome.values();
  if (!current) {
    mv.attributes.push_back(
        {c.target, c.type, values, {outcome.connector_id, c.rule->name, c.precedence(), now}});
    appended = true;
    return true;
  }
  store::Provenance& p = current->provenance;
  const bool same_source = p.connector_id == outcome.connector_id && p.rule == c.rule->name &&
                           p.precedence == c.precedence();
  if (current->values == values && current->type == c.type) {
    // The same values from a different rule only refresh the provenance.
    if (!same_source) p = {outcome.connector_id, c.rule->name, c.precedence(), now};
    return false;
  }
  current->type = c.type;
  current->values = values;
  p = {outcome.connector_id, c.rule->name, c.precedence(), now};
  return true;
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
  // An object contributing nothing may have values in a union another connector holds; a union
  // of one value is its holder's alone.
  const bool contributes_nothing = own.empty();
  if (contributes_nothing)
    for (const store::MvAttribute& a : mv.attributes)
      if (a.provenance.connector_id != connector_id && a.values.size() > 1)
        keys.insert(store::lowercase(a.name));

  std::vector<std::string> changed;
  bool appended = false;
  std::vector<SourcedContribution> ranking;  // what from_all_sources decided from
  for (const std::string& key : keys) {
    auto it = own.find(key);
    const Contribution* mine = it == own.end() ? nullptr : &it->second;
    const Contribution* own_best = mine && mine->decisive() ? mine : nullptr;
    // A merge source's every answer but IgnoreThisFlow may change the union.
    const bool merge_source = mine && mine->merging() && mine->kind != Kind::ignore;
    auto from_all_sources = [&] {
      OtherContributions other = others(key);
      // No other source (always so for a projection): this object's answer decides alone,
      // without copying it into a ranking.
      if (other.decisive.empty())
        return own_best ? decide_alone(*own_best, connector_id) : Outcome{};
      ranking = ranked(own_best, connector_id, std::move(other));
      return decide(ranking);
    };

    const store::MvAttribute* current = mv.find(key);
    Outcome outcome;
    if (current && current->provenance.connector_id != connector_id) {
      const bool outranks = own_best && own_best->precedence() < current->provenance.precedence;
      if (outranks && !merge_source) {
        outcome = decide_alone(*own_best, connector_id);
      } else if (merge_source || contributes_nothing) {
        outcome = from_all_sources();
        if (!outranks && !outcome.merged) continue;  // not a union: the holder keeps it
      } else {
        continue;  // the holder outranks this object
      }
    } else if (current) {
      if (merge_source) {
        outcome = from_all_sources();
      } else if (own_best && own_best->precedence() <= current->provenance.precedence) {
        outcome = decide_alone(*own_best, connector_id);
      } else if (mine && mine->kind == Kind::ignore) {
        continue;
      } else {
        outcome = from_all_sources();
      }
    } else {
      outcome = from_all_sources();
    }
    const std::string name =
        current ? current->name : (outcome.first ? outcome.first->target : key);
    if (set_attribute(mv, key, outcome, now_unix_ms, appended)) changed.push_back(name);
  }
  if (appended) store::canonicalize(mv.attributes);
  return changed;
}

}  // namespace idsync::sync
