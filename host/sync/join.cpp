#include "sync/join.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace idsync::sync {

namespace {

std::vector<uint64_t> condition_candidates(const sync_rules::JoinCondition& condition,
                                           std::string_view mv_type, const store::CsObject& object,
                                           BatchOverlay& overlay) {
  std::vector<uint64_t> out;
  const store::Attribute* a = object.find(condition.cs_attribute);
  if (!a) return out;
  for (const std::string& value : a->values) {
    auto ids = overlay.find(mv_type, condition.mv_attribute, value, condition.case_sensitive);
    out.insert(out.end(), ids.begin(), ids.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

ObjectJoin find_join(std::span<const CompiledRule* const> scoped, const store::CsObject& object,
                     BatchOverlay& overlay) {
  for (const CompiledRule* r : scoped) {
    const sync_rules::SyncRule& rule = *r->rule;
    if (rule.join.empty()) continue;
    auto lookup = [&](std::size_t, const sync_rules::JoinGroup& group) {
      std::vector<uint64_t> ids;
      bool first = true;
      for (const auto& condition : group.conditions) {
        auto found = condition_candidates(condition, rule.mv_object_type, object, overlay);
        if (first) {
          ids = std::move(found);
          first = false;
        } else {
          std::vector<uint64_t> both;
          std::set_intersection(ids.begin(), ids.end(), found.begin(), found.end(),
                                std::back_inserter(both));
          ids = std::move(both);
        }
        if (ids.empty()) break;
      }
      std::vector<std::string> out;
      out.reserve(ids.size());
      for (uint64_t id : ids) out.push_back(std::to_string(id));
      return out;
    };
    sync_rules::JoinDecision d = sync_rules::decide_join(rule.join, lookup);
    if (d.outcome != sync_rules::JoinDecision::Outcome::kNoMatch) return {std::move(d), &rule};
  }
  return {};
}

}  // namespace idsync::sync
