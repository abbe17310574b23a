#include "contract/export_batch.hpp"

#include "contract/text.hpp"

namespace idsync::contract {

ExportBatch::ExportBatch(std::vector<ExportOpSpec> ops) : ops_(std::move(ops)) {
  // Sized up front: every pointer taken below must stay valid for the batch's life.
  const std::size_t n = ops_.size();
  values_.resize(n);
  attrs_.resize(n);
  attr_ptrs_.resize(n);
  c_ops_.resize(n);
  for (std::size_t o = 0; o < n; ++o) {
    const ExportOpSpec& op = ops_[o];
    values_[o].resize(op.attributes.size());
    for (std::size_t a = 0; a < op.attributes.size(); ++a)
      for (const std::string& v : op.attributes[a].values) values_[o][a].push_back(bytes(v));
    for (std::size_t a = 0; a < op.attributes.size(); ++a) {
      const ExportAttrSpec& spec = op.attributes[a];
      attrs_[o].push_back(idsync_attr{sizeof(idsync_attr), str(spec.name), spec.type, spec.op,
                                      values_[o][a].data(), values_[o][a].size()});
    }
    for (const idsync_attr& attr : attrs_[o]) attr_ptrs_[o].push_back(&attr);
    c_ops_[o] =
        idsync_export_op{sizeof(idsync_export_op), op.op_id,   op.kind,        str(op.object_type),
                         bytes(op.anchor),         str(op.dn), str(op.new_dn), attr_ptrs_[o].data(),
                         attr_ptrs_[o].size()};
  }
  for (const idsync_export_op& op : c_ops_) op_ptrs_.push_back(&op);
  batch_ = idsync_export_batch{sizeof(idsync_export_batch), op_ptrs_.data(), op_ptrs_.size()};
}

std::set<uint64_t> ExportBatch::op_ids() const {
  std::set<uint64_t> ids;
  for (const ExportOpSpec& op : ops_) ids.insert(op.op_id);
  return ids;
}

}  // namespace idsync::contract
