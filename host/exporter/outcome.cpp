#include "exporter/outcome.hpp"

#include <rocksdb/write_batch.h>

#include "exporter/anchor_move.hpp"
#include "exporter/confirm_builder.hpp"
#include "exporter/provisional_anchor.hpp"
#include "store/connector_space.hpp"
#include "store/export_confirm.hpp"
#include "store/pending_export.hpp"

namespace idsync::exporter {

namespace {

void counters_add(ExportCounters& a, const ExportCounters& b) {
  a.adds += b.adds;
  a.updates += b.updates;
  a.deletes += b.deletes;
  a.errors += b.errors;
  a.retried += b.retried;
  a.skipped += b.skipped;
  a.batches += b.batches;
}

store::ExportError error_of(const OpResult& r, int64_t now) {
  return {static_cast<int32_t>(r.status), static_cast<int32_t>(r.kind), r.message, now};
}

}  // namespace

ExportCounters commit_batch(store::Store& store, uint32_t connector_id, const OpBatch& batch,
                            const ResultCollector& results, ExportProgress& progress,
                            int64_t now_unix_ms, const store::SecretAttributes& secrets) {
  const store::PendingExports pending(store, connector_id);
  const store::ExportConfirms confirms(store, connector_id);
  const store::ConnectorSpace cs(store, connector_id);
  rocksdb::WriteBatch wb;
  ExportCounters c;
  c.batches = 1;

  // Adds whose object the connected system filed under another anchor than the provisional
  // one move first, all with one read (anchor_move.hpp); their confirmations follow below.
  std::vector<AnchorMove> moves;
  for (const BatchEntry& e : batch.entries()) {
    const OpResult* added = nullptr;
    if (e.pending.kind == store::ExportKind::add) added = &results.result(e.op_ids.front());
    if (e.pending.kind == store::ExportKind::remove_add) added = &results.result(e.op_ids.back());
    if (added && added->status == IDSYNC_OK && !added->anchor.empty() && added->anchor != e.anchor)
      moves.push_back({e.anchor, added->anchor});
  }
  const std::vector<bool> moved = move_cs_anchors(store, connector_id, wb, moves);
  size_t next_move = 0;
  // Adds the system filed where their placeholder waits: the object stays, and is no longer
  // awaiting its add.
  std::vector<std::string> in_place;
  for (const BatchEntry& e : batch.entries()) {
    if (e.pending.kind != store::ExportKind::add || is_provisional_anchor(e.anchor)) continue;
    const OpResult& added = results.result(e.op_ids.front());
    if (added.status == IDSYNC_OK && (added.anchor.empty() || added.anchor == e.anchor))
      in_place.push_back(e.anchor);
  }
  confirm_placeholders(store, connector_id, wb, in_place);

  for (const BatchEntry& e : batch.entries()) {
    const store::PendingExport& pe = e.pending;
    if (pe.attempts > 0) ++c.retried;
    const OpResult& first = results.result(e.op_ids.front());
    const OpResult* failure = nullptr;     // the error to keep, when not applied
    const OpResult* add_result = nullptr;  // an applied ADD's result (the assigned anchor)
    // A failed remove_add whose delete went through keeps only its create.
    bool only_the_create_is_left = false;
    switch (pe.kind) {
      case store::ExportKind::add:
        if (first.status == IDSYNC_OK) {
          add_result = &first;
          ++c.adds;
        } else {
          failure = &first;
        }
        break;
      case store::ExportKind::update:
        if (first.status == IDSYNC_OK)
          ++c.updates;
        else
          failure = &first;
        break;
      case store::ExportKind::remove:
        if (first.status == IDSYNC_OK)
          ++c.deletes;
        else
          failure = &first;
        break;
      case store::ExportKind::remove_add: {
        const OpResult& second = results.result(e.op_ids.back());
        if (first.status == IDSYNC_OK) ++c.deletes;
        if (second.status == IDSYNC_OK) {
          add_result = &second;
          ++c.adds;
        } else if (first.status == IDSYNC_OK) {
          only_the_create_is_left = true;  // the old object is gone
          failure = &second;
        } else {
          failure = &first;
        }
        break;
      }
    }

    if (failure) {
      ++c.errors;
      // Copied only here: most exports succeed, and an add carries every initial value.
      store::PendingExport kept = pe;
      if (only_the_create_is_left) kept.kind = store::ExportKind::add;
      kept.last_error = error_of(*failure, now_unix_ms);
      ++kept.attempts;
      kept.updated_unix_ms = now_unix_ms;
      pending.put(wb, e.anchor, kept);
      continue;
    }

    pending.remove(wb, e.anchor);
    if (pe.kind == store::ExportKind::remove) {
      confirms.remove(wb, e.anchor);
      continue;
    }
    std::string anchor = e.anchor;
    if (add_result && !add_result->anchor.empty() && add_result->anchor != e.anchor) {
      // A move took the confirmation along, if there was one.
      if (!moved[next_move++]) confirms.remove(wb, e.anchor);
      anchor = add_result->anchor;
    }
    const std::optional<store::CsObject> seen =
        pe.kind == store::ExportKind::update ? cs.get(e.anchor) : std::nullopt;
    const std::optional<store::ExportConfirm> earlier =
        pe.kind == store::ExportKind::update ? confirms.get(e.anchor) : std::nullopt;
    const std::string reported_dn = add_result ? add_result->dn : first.dn;
    confirms.put(wb, anchor, build_confirm(pe, seen, earlier, reported_dn, now_unix_ms, secrets));
  }

  if (!batch.empty()) progress.checkpoint = batch.entries().back().anchor;
  counters_add(progress.counters, c);
  ExportProgressRecord(store, connector_id).put(wb, progress);
  store.write_behind(std::move(wb));
  return c;
}

}  // namespace idsync::exporter
