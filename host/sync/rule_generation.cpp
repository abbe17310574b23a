#include "sync/rule_generation.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "store/codec.hpp"
#include "store/cs_object.hpp"

namespace idsync::sync {

namespace {

using sync_rules::SyncRule;
using sync_rules::Transformation;

constexpr uint8_t kRecordFormat = 1;

// Length-prefixed fields, so that ("ab", "c") and ("a", "bc") differ.
class Canonical {
 public:
  void field(std::string_view s) {
    text_ += std::to_string(s.size());
    text_ += ':';
    text_ += s;
  }
  void number(int64_t n) { field(std::to_string(n)); }
  void flows(const std::vector<Transformation>& transformations) {
    number(static_cast<int64_t>(transformations.size()));
    for (const Transformation& t : transformations) {
      field(sync_rules::to_string(t.flow));
      field(t.target);
      field(t.source);
      number(static_cast<int64_t>(t.values.size()));
      for (const std::string& v : t.values) field(v);
      field(t.expression);
      number(t.apply_once);
      field(sync_rules::to_string(t.merge));
      field(t.transform);
    }
  }
  void rule(const SyncRule& r) {
    field(r.name);
    number(r.disabled);
    field(r.connector);
    field(r.cs_object_type);
    field(r.mv_object_type);
    field(sync_rules::to_string(r.link_type));
    number(r.precedence);
    number(static_cast<int64_t>(r.scoping.groups.size()));
    for (const auto& group : r.scoping.groups) {
      number(static_cast<int64_t>(group.conditions.size()));
      for (const auto& c : group.conditions) {
        field(c.attribute);
        field(sync_rules::to_string(c.op));
        field(c.value);
      }
    }
    number(static_cast<int64_t>(r.join.size()));
    for (const auto& group : r.join) {
      number(static_cast<int64_t>(group.conditions.size()));
      for (const auto& c : group.conditions) {
        field(c.cs_attribute);
        field(c.mv_attribute);
        number(c.case_sensitive);
      }
    }
    flows(r.transformations);
    field(sync_rules::to_string(r.deprovisioning.action));
    flows(r.deprovisioning.transformations);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// FNV-1a, 64 bits: stable across builds, unlike std::hash.
uint64_t fnv1a(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool calls_now(std::string_view expression) {
  const std::string lower = store::lowercase(expression);
  for (size_t at = lower.find("now"); at != std::string::npos; at = lower.find("now", at + 3)) {
    const bool starts = at == 0 || !(std::isalnum(static_cast<unsigned char>(lower[at - 1])) ||
                                     lower[at - 1] == '_');
    size_t next = at + 3;
    while (next < lower.size() && lower[next] == ' ') ++next;
    if (starts && next < lower.size() && lower[next] == '(') return true;
  }
  return false;
}

bool any_calls_now(const std::vector<Transformation>& transformations) {
  return std::any_of(transformations.begin(), transformations.end(), [](const Transformation& t) {
    return t.flow == sync_rules::FlowType::kExpression && calls_now(t.expression);
  });
}

std::string encode_u64(uint64_t n) {
  std::string out;
  store::Encoder(out).u64be(n);
  return out;
}

bool metaverse_empty(store::Store& store) {
  rocksdb::ReadOptions options;
  auto it = store.iterator(store::Family::mv, options);
  it->SeekToFirst();
  store::check(it->status(), "store " + store.path().string() + ": read failed");
  return !it->Valid();
}

uint64_t fingerprint(const sync_rules::RuleSet& rules, const expr::FunctionRegistry* functions,
                     sync_rules::Direction direction) {
  std::vector<const SyncRule*> selected;
  for (const SyncRule& r : rules.all())
    if (r.direction == direction) selected.push_back(&r);
  // Load order follows file names, which say nothing about meaning.
  std::sort(selected.begin(), selected.end(),
            [](const SyncRule* a, const SyncRule* b) { return a->name < b->name; });
  Canonical canonical;
  canonical.number(static_cast<int64_t>(selected.size()));
  for (const SyncRule* r : selected) canonical.rule(*r);
  if (functions) {
    std::vector<std::string> providers = functions->providers();
    std::sort(providers.begin(), providers.end());
    canonical.number(static_cast<int64_t>(providers.size()));
    for (const std::string& p : providers) canonical.field(p);
  }
  return fnv1a(canonical.text());
}

}  // namespace

uint64_t outbound_fingerprint(const sync_rules::RuleSet& rules,
                              const expr::FunctionRegistry* functions) {
  return fingerprint(rules, functions, sync_rules::Direction::kOutbound);
}

uint64_t inbound_fingerprint(const sync_rules::RuleSet& rules,
                             const expr::FunctionRegistry* functions) {
  return fingerprint(rules, functions, sync_rules::Direction::kInbound);
}

uint64_t connector_rules_fingerprint(const sync_rules::RuleSet& rules, std::string_view connector) {
  Canonical canonical;
  for (const SyncRule& r : rules.all())
    if (store::iequals(r.connector, connector)) {
      canonical.field(r.direction == sync_rules::Direction::kInbound ? "in" : "out");
      canonical.rule(r);
    }
  return fnv1a(canonical.text());
}

bool outbound_depends_on_time(const sync_rules::RuleSet& rules) {
  for (const SyncRule& r : rules.all())
    if (r.direction == sync_rules::Direction::kOutbound && !r.disabled &&
        (any_calls_now(r.transformations) || any_calls_now(r.deprovisioning.transformations)))
      return true;
  return false;
}

RuleGeneration::RuleGeneration(store::Store& store, const sync_rules::RuleSet& rules,
                               const expr::FunctionRegistry* functions,
                               sync_rules::Direction direction)
    : store_(store),
      record_key_(std::string(4, '\0') + (direction == sync_rules::Direction::kOutbound
                                              ? "outbound-rules"
                                              : "inbound-rules")),
      connector_suffix_(direction == sync_rules::Direction::kOutbound ? "outgen" : "ingen"),
      time_dependent_(direction == sync_rules::Direction::kOutbound &&
                      outbound_depends_on_time(rules)) {
  const uint64_t fingerprint = sync::fingerprint(rules, functions, direction);
  if (auto stored = store_.get(store::Family::progress, record_key_)) {
    store::Decoder d(*stored);
    if (d.u8() != kRecordFormat)
      throw store::StoreError("store " + store_.path().string() +
                              ": the outbound rules record has an unknown format");
    const uint64_t stored_fingerprint = d.u64be();
    generation_ = d.u64be();
    covers_all_ = d.u8() != 0;
    if (stored_fingerprint == fingerprint) return;
  }
  ++generation_;
  covers_all_ = metaverse_empty(store_);
  std::string value;
  store::Encoder e(value);
  e.u8(kRecordFormat);
  e.u64be(fingerprint);
  e.u64be(generation_);
  e.u8(covers_all_ ? 1 : 0);
  rocksdb::WriteBatch batch;
  batch.Put(store_.family(store::Family::progress), record_key_, value);
  store_.write(batch);
}

bool RuleGeneration::full_sync_must_mark(uint32_t connector_id) const {
  if (time_dependent_) return true;
  return !covers_all_ && !full_sync_current(connector_id);
}

bool RuleGeneration::full_sync_current(uint32_t connector_id) const {
  auto stored =
      store_.get(store::Family::progress, store::connector_key(connector_id, connector_suffix_));
  return stored && store::Decoder(*stored).u64be() == generation_;
}

void RuleGeneration::completed_full_sync(rocksdb::WriteBatch& batch, uint32_t connector_id) const {
  batch.Put(store_.family(store::Family::progress),
            store::connector_key(connector_id, connector_suffix_), encode_u64(generation_));
}

}  // namespace idsync::sync
