#include "store/reference_waits.hpp"

#include <algorithm>

#include "store/cs_object.hpp"
#include "store/mv_object.hpp"
#include "store/prefix_scan.hpp"

namespace idsync::store {

namespace {

void append_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

}  // namespace

std::string ReferenceWaits::inbound_target(uint32_t connector_id, std::string_view value) {
  std::string key = connector_prefix(connector_id);
  key.push_back('i');
  append_u32(key, static_cast<uint32_t>(value.size()));
  for (char c : value) key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  return key;
}

std::string ReferenceWaits::outbound_target(uint32_t connector_id, uint64_t mv_id) {
  std::string key = connector_prefix(connector_id);
  key.push_back('o');
  key += mv_key(mv_id);
  return key;
}

namespace {
// Connector id and kind byte.
constexpr size_t kKindPrefix = 5;
}  // namespace

bool ReferenceWaits::may_hold(const std::string& target) {
  const std::string_view kind = std::string_view(target).substr(0, kKindPrefix);
  for (const auto& [known, holds] : kinds_)
    if (known == kind) return holds;
  bool holds = false;
  scan_prefix(store_, Family::ref_wait, kind, [&](std::string_view, std::string_view) {
    holds = true;
    return false;
  });
  kinds_.emplace_back(std::string(kind), holds);
  return holds;
}

void ReferenceWaits::wait(rocksdb::WriteBatch& batch, const std::string& target,
                          std::string_view waiter) {
  const std::string_view kind = std::string_view(target).substr(0, kKindPrefix);
  auto known =
      std::find_if(kinds_.begin(), kinds_.end(), [&](const auto& k) { return k.first == kind; });
  if (known == kinds_.end())
    kinds_.emplace_back(std::string(kind), true);
  else
    known->second = true;
  std::string key = target;
  key.append(waiter.data(), waiter.size());
  batch.Put(store_.family(Family::ref_wait), key, rocksdb::Slice());
  in_batch_.push_back(std::move(key));
}

std::vector<std::string> ReferenceWaits::take(rocksdb::WriteBatch& batch,
                                              const std::string& target) {
  std::vector<std::string> waiters;
  auto take_key = [&](std::string_view key) {
    std::string waiter(key.substr(target.size()));
    if (std::find(waiters.begin(), waiters.end(), waiter) == waiters.end())
      waiters.push_back(std::move(waiter));
    batch.Delete(store_.family(Family::ref_wait), rocksdb::Slice(key.data(), key.size()));
  };
  std::vector<std::string> committed;
  if (may_hold(target))
    scan_lookup_prefix(store_, Family::ref_wait, target,
                       [&](std::string_view suffix, std::string_view) {
                         committed.emplace_back(suffix);
                         return true;
                       });
  for (const std::string& suffix : committed) take_key(target + suffix);
  std::vector<std::string> kept;
  for (std::string& key : in_batch_) {
    if (key.size() > target.size() && key.compare(0, target.size(), target) == 0)
      take_key(key);
    else
      kept.push_back(std::move(key));
  }
  in_batch_ = std::move(kept);
  return waiters;
}

}  // namespace idsync::store
