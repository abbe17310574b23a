#include "known_anchors.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <idsync/sdk.hpp>
#include <system_error>
#include <unordered_map>

namespace idsync::ldap {

namespace fs = std::filesystem;

namespace {

constexpr const char* kJournalName = "anchors.journal";
constexpr const char* kBaseSuffix = ".anchors";
// Below this the journal is never compacted: reading it costs less than rewriting a base.
constexpr uint64_t kCompactFloor = 1 << 20;

struct UuidHash {
  size_t operator()(const Uuid& u) const {
    // Version 1 UUIDs (OpenLDAP's) vary most in their first bytes, the time's low bits.
    uint64_t h = 0;
    for (int i = 0; i < 8; ++i) h = h << 8 | u[i];
    return static_cast<size_t>(h ^ u[15]);
  }
};

using JournalType = JournalRecord::Type;

}  // namespace

KnownAnchors::KnownAnchors(std::string folder)
    : folder_(std::move(folder)),
      journal_(folder_.empty() ? std::string() : (fs::path(folder_) / kJournalName).string()) {}

std::string KnownAnchors::path(const std::string& name) const {
  return (fs::path(folder_) / name).string();
}

std::string KnownAnchors::base_file_name(const std::string& watermark, const char* prefix) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(checksum(watermark)));
  return std::string(prefix) + "-" + hex + kBaseSuffix;
}

void KnownAnchors::ensure_folder() const {
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec)
    throw sdk::Error(IDSYNC_ERR_INTERNAL, "cannot create \"" + folder_ +
                                              "\" (the connector's state folder): " + ec.message());
}

void KnownAnchors::full_import_page(const std::string& watermark, const std::vector<Uuid>& anchors,
                                    uint64_t anchors_before) {
  if (!enabled()) return;
  ensure_folder();
  // A file per starting watermark: a resumed import finds its own pages again. A lost
  // beginning leaves the file short, which full_import_finished notices.
  append_to_base_file(path(base_file_name(watermark, "full")), anchors_before, anchors);
}

bool KnownAnchors::full_import_finished(const std::string& watermark, uint64_t anchors) {
  if (!enabled()) return true;
  ensure_folder();
  const std::string name = base_file_name(watermark, "full");
  const auto sum = seal_base_file(path(name), anchors);
  if (!sum) return false;
  JournalRecord record;
  record.type = JournalType::base;
  record.from = watermark;
  record.file = name;
  record.count = anchors;
  record.file_checksum = *sum;
  journal_.append(record);
  // Files of full imports that never finished will not be resumed any more.
  remove_unreferenced(journal_.read_all(), name);
  return true;
}

void KnownAnchors::record_adds(const std::string& from, const std::vector<Uuid>& added) {
  if (!enabled() || added.empty()) return;
  ensure_folder();
  JournalRecord record;
  record.type = JournalType::adds;
  record.from = from;
  record.added = added;
  journal_.append(record);
}

void KnownAnchors::record_delta(const std::string& from, const std::string& to,
                                const std::vector<Uuid>& added, const std::vector<Uuid>& deleted) {
  if (!enabled() || (from == to && added.empty() && deleted.empty())) return;
  ensure_folder();
  JournalRecord record;
  record.type = JournalType::delta;
  record.from = from;
  record.to = to;
  record.added = added;
  record.deleted = deleted;
  journal_.append(record);
}

std::optional<std::vector<Uuid>> KnownAnchors::at(const std::string& watermark) const {
  if (!enabled()) return std::nullopt;
  const std::vector<JournalRecord> records = journal_.read_all();

  // The chain back from `watermark`: at each step the newest record that ends there, older
  // than the step before, until a base.
  std::vector<bool> on_chain(records.size(), false);
  std::string at = watermark;
  size_t limit = records.size();
  size_t base = records.size();
  while (base == records.size()) {
    size_t found = limit;
    for (size_t i = limit; i-- > 0;) {
      const JournalRecord& r = records[i];
      if ((r.type == JournalType::base && r.from == at) ||
          (r.type == JournalType::delta && r.to == at)) {
        found = i;
        break;
      }
    }
    if (found == limit) return std::nullopt;
    if (records[found].type == JournalType::base) {
      base = found;
    } else {
      on_chain[found] = true;
      at = records[found].from;
      limit = found;
    }
  }

  auto anchors =
      read_base_file(path(records[base].file), records[base].count, records[base].file_checksum);
  if (!anchors) return std::nullopt;
  // Later records in order: the last word on an anchor wins.
  std::unordered_map<Uuid, bool, UuidHash> changes;
  for (size_t i = base + 1; i < records.size(); ++i) {
    const JournalRecord& r = records[i];
    if (r.type == JournalType::base) continue;
    if (on_chain[i])
      for (const Uuid& u : r.deleted) changes[u] = false;
    for (const Uuid& u : r.added) changes[u] = true;
  }
  if (!changes.empty()) {
    std::erase_if(*anchors, [&](const Uuid& u) {
      auto it = changes.find(u);
      return it != changes.end() && !it->second;
    });
    for (const auto& [u, present] : changes)
      if (present) anchors->push_back(u);
  }
  std::sort(anchors->begin(), anchors->end());
  anchors->erase(std::unique(anchors->begin(), anchors->end()), anchors->end());
  return anchors;
}

void KnownAnchors::compact(const std::string& watermark) {
  if (!enabled()) return;
  const uint64_t journal_size = journal_.size();
  if (journal_size <= kCompactFloor) return;
  uint64_t largest_base = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder_, ec))
    if (entry.path().extension() == kBaseSuffix)
      largest_base = std::max<uint64_t>(largest_base, entry.file_size(ec));
  if (journal_size <= largest_base) return;

  const std::vector<JournalRecord> old_records = journal_.read_all();
  std::vector<JournalRecord> records;
  std::string keep;
  if (auto anchors = at(watermark)) {
    keep = base_file_name(watermark, "compacted");
    JournalRecord base;
    base.type = JournalType::base;
    base.from = watermark;
    base.file = keep;
    base.count = anchors->size();
    base.file_checksum = write_base_file(path(keep), *anchors);
    records.push_back(std::move(base));
  }
  // Without a set at the committed watermark nothing in the journal can serve any more.
  journal_.rewrite(records);
  // Only the files the old journal named: a full import in progress keeps its own.
  for (const auto& r : old_records)
    if (r.type == JournalType::base && r.file != keep) fs::remove(path(r.file), ec);
}

void KnownAnchors::remove_unreferenced(const std::vector<JournalRecord>& records,
                                       const std::string& keep) {
  std::error_code ec;
  std::vector<fs::path> unused;
  for (const auto& entry : fs::directory_iterator(folder_, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != kBaseSuffix || name == keep) continue;
    const bool named = std::any_of(records.begin(), records.end(), [&](const JournalRecord& r) {
      return r.type == JournalType::base && r.file == name;
    });
    if (!named) unused.push_back(entry.path());
  }
  for (const auto& p : unused) fs::remove(p, ec);
}

}  // namespace idsync::ldap
