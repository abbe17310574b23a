#include "exporter/op_batch.hpp"

#include <stdexcept>

#include "exporter/provisional_anchor.hpp"
#include "store/cs_object.hpp"

namespace idsync::exporter {

namespace {

idsync_str str(const std::string& s) { return {s.data(), s.size()}; }
idsync_bytes bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// Whether the ADD `pe` carries a value of the attribute its connector files adds under
// (store/add_named_anchors.hpp) other than the one `anchor` it waits under.
bool carries_other_anchor(const store::PendingExport& pe, std::string_view anchor,
                          const store::AddNamedAnchors& anchors) {
  const std::string* attribute = anchors.attribute_of(pe.object_type);
  if (!attribute) return false;
  for (const store::AttributeDelta& d : pe.attributes)
    if (store::iequals(d.name, *attribute)) return d.values.size() != 1 || d.values[0] != anchor;
  return false;
}

}  // namespace

idsync_attr_op to_attr_op(store::ValueOp op) {
  switch (op) {
    case store::ValueOp::add:
      return IDSYNC_ATTR_ADD;
    case store::ValueOp::remove:
      return IDSYNC_ATTR_REMOVE;
    case store::ValueOp::replace:
      break;
  }
  return IDSYNC_ATTR_REPLACE;
}

void OpBatch::add(std::string anchor, store::PendingExport pe) {
  if (sealed_) throw std::logic_error("OpBatch::add after seal");
  const size_t entry = entries_.size();
  BatchEntry e{std::move(anchor), std::move(pe), {}};
  auto push = [&](idsync_export_kind kind) {
    // Op ids start at 1 so that a zeroed result struct never names a real op.
    const uint64_t id = ops_.size() + 1;
    ops_.push_back({id, kind, entry});
    e.op_ids.push_back(id);
    op_id_list_.push_back(id);
  };
  switch (e.pending.kind) {
    case store::ExportKind::add:
      push(IDSYNC_EXPORT_ADD);
      break;
    case store::ExportKind::update:
      push(IDSYNC_EXPORT_UPDATE);
      break;
    case store::ExportKind::remove:
      push(IDSYNC_EXPORT_DELETE);
      break;
    case store::ExportKind::remove_add:
      push(IDSYNC_EXPORT_DELETE);
      push(IDSYNC_EXPORT_ADD);
      break;
  }
  entries_.push_back(std::move(e));
}

void OpBatch::seal(const store::AddNamedAnchors& anchors) {
  if (sealed_) return;
  sealed_ = true;
  const size_t n = ops_.size();
  values_.resize(n);
  attrs_.resize(n);
  attr_ptrs_.resize(n);
  c_ops_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Op& op = ops_[i];
    const BatchEntry& e = entries_[op.entry];
    const store::PendingExport& pe = e.pending;
    if (op.kind != IDSYNC_EXPORT_DELETE) {
      values_[i].resize(pe.attributes.size());
      for (size_t a = 0; a < pe.attributes.size(); ++a) {
        const store::AttributeDelta& d = pe.attributes[a];
        for (const auto& v : d.values) values_[i][a].push_back(bytes(v));
        attrs_[i].push_back({sizeof(idsync_attr), str(d.name), d.type,
                             op.kind == IDSYNC_EXPORT_ADD ? IDSYNC_ATTR_REPLACE : to_attr_op(d.op),
                             values_[i][a].data(), values_[i][a].size()});
      }
      for (const auto& a : attrs_[i]) attr_ptrs_[i].push_back(&a);
    }
    idsync_export_op& c = c_ops_[i];
    c.struct_size = sizeof(idsync_export_op);
    c.op_id = op.id;
    c.kind = op.kind;
    c.object_type = str(pe.object_type);
    // An ADD names the anchor it waits under, unless the system is to choose: the anchor is
    // provisional (ours, not the system's), or the ADD now carries another value of the
    // attribute the connector files it under (a rule changed it after the object was
    // provisioned under its final anchor; the result reports where the object went). Any
    // other op on a provisional anchor cannot name the object at all; it is sent as is and
    // the connector answers UNKNOWN_OBJECT.
    const bool assign =
        op.kind == IDSYNC_EXPORT_ADD &&
        (is_provisional_anchor(e.anchor) || carries_other_anchor(pe, e.anchor, anchors));
    c.anchor = assign ? idsync_bytes{nullptr, 0} : bytes(e.anchor);
    c.dn = str(pe.dn);
    c.new_dn = op.kind == IDSYNC_EXPORT_UPDATE ? str(pe.new_dn) : idsync_str{nullptr, 0};
    c.attributes = attr_ptrs_[i].empty() ? nullptr : attr_ptrs_[i].data();
    c.attribute_count = attr_ptrs_[i].size();
  }
  for (const auto& c : c_ops_) op_ptrs_.push_back(&c);
  batch_.struct_size = sizeof(idsync_export_batch);
  batch_.ops = op_ptrs_.empty() ? nullptr : op_ptrs_.data();
  batch_.op_count = op_ptrs_.size();
}

}  // namespace idsync::exporter
