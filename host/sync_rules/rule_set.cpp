#include "sync_rules/rule_set.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "sync_rules/ascii.hpp"

namespace idsync::sync_rules {

namespace {

using detail::icompare;

template <typename A, typename B>
bool key_less(const A& a, const B& b) {
  if (a.direction != b.direction) return a.direction < b.direction;
  if (int c = icompare(a.connector, b.connector)) return c < 0;
  return icompare(a.object_type, b.object_type) < 0;
}

}  // namespace

bool RuleSet::KeyLess::operator()(const Key& a, const Key& b) const { return key_less(a, b); }
bool RuleSet::KeyLess::operator()(const Key& a, const KeyView& b) const { return key_less(a, b); }
bool RuleSet::KeyLess::operator()(const KeyView& a, const Key& b) const { return key_less(a, b); }

RuleSet::RuleSet(std::vector<SyncRule> rules) : rules_(std::move(rules)) {
  for (const SyncRule& r : rules_) {
    if (r.disabled) continue;
    // Inbound rules are found from the CS object being synchronized, outbound ones from the MV
    // object: each is indexed by the type the engine holds when it asks.
    const std::string& type =
        r.direction == Direction::kInbound ? r.cs_object_type : r.mv_object_type;
    index_[Key{r.direction, r.connector, type}].push_back(&r);
  }
  for (auto& [key, list] : index_) {
    std::sort(list.begin(), list.end(), [](const SyncRule* a, const SyncRule* b) {
      if (a->precedence != b->precedence) return a->precedence < b->precedence;
      return icompare(a->name, b->name) < 0;
    });
  }
}

std::span<const SyncRule* const> RuleSet::lookup(const KeyView& key) const {
  auto it = index_.find(key);
  if (it == index_.end()) return {};
  return std::span<const SyncRule* const>(it->second.data(), it->second.size());
}

std::span<const SyncRule* const> RuleSet::inbound(std::string_view connector,
                                                  std::string_view cs_object_type) const {
  return lookup(KeyView{Direction::kInbound, connector, cs_object_type});
}

std::span<const SyncRule* const> RuleSet::outbound(std::string_view connector,
                                                   std::string_view mv_object_type) const {
  return lookup(KeyView{Direction::kOutbound, connector, mv_object_type});
}

const SyncRule* RuleSet::find(std::string_view name) const {
  for (const SyncRule& r : rules_)
    if (icompare(r.name, name) == 0) return &r;
  return nullptr;
}

}  // namespace idsync::sync_rules
