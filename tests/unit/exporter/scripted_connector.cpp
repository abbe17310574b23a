#include "scripted_connector.hpp"

namespace idsync::exporter::test {

namespace {

std::string text(idsync_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }
std::string text(idsync_bytes b) {
  return b.ptr ? std::string(reinterpret_cast<const char*>(b.ptr), b.len) : std::string();
}
idsync_str str(const std::string& s) { return {s.data(), s.size()}; }
idsync_bytes bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

idsync_status export_batch(idsync_connector* c, const idsync_export_batch* batch,
                           const idsync_export_results* results, const idsync_diag* diag) {
  Script& sc = *reinterpret_cast<Script*>(c);
  ++sc.calls;
  std::vector<SentOp> ops;
  for (size_t i = 0; i < batch->op_count; ++i) {
    const idsync_export_op& o = *batch->ops[i];
    SentOp s{o.op_id, o.kind, text(o.object_type), text(o.anchor), text(o.dn), text(o.new_dn), {}};
    for (size_t a = 0; a < o.attribute_count; ++a) {
      const idsync_attr& at = *o.attributes[a];
      SentAttr sa{text(at.name), at.op, {}};
      for (size_t v = 0; v < at.value_count; ++v) sa.values.push_back(text(at.values[v]));
      s.attributes.push_back(std::move(sa));
    }
    ops.push_back(std::move(s));
  }
  sc.batches.push_back(ops);
  if (sc.cancel_after && sc.calls >= sc.cancel_after_calls) sc.cancel_after->store(true);
  if (sc.batch_status != IDSYNC_OK) {
    const std::string msg = "cannot reach the server";
    diag->set_error(diag->host_ctx, sc.batch_kind, str(msg));
    return sc.batch_status;
  }
  auto report = [&](const idsync_export_result& r) {
    sc.report_answers.push_back(results->report(results->host_ctx, &r));
  };
  for (const SentOp& o : ops) {
    if (sc.unreported.count(o.dn)) continue;
    idsync_export_result r{};
    r.struct_size = sizeof r;
    r.op_id = o.op_id;
    std::string assigned = sc.assign_prefix + o.dn;
    const Failure* f = nullptr;
    if (auto it = sc.fail.find(o.dn); it != sc.fail.end()) f = &it->second;
    if (auto it = sc.fail_add.find(o.dn); it != sc.fail_add.end() && o.kind == IDSYNC_EXPORT_ADD)
      f = &it->second;
    if (f) {
      r.status = f->status;
      r.error_kind = f->kind;
      r.message = str(f->message);
    } else if (o.kind == IDSYNC_EXPORT_ADD && o.anchor.empty()) {
      r.anchor = bytes(assigned);
    }
    report(r);
    if (sc.duplicate_first && &o == &ops.front()) {
      idsync_export_result again = r;
      again.status = IDSYNC_ERROR;  // must be ignored: the first result stands
      again.error_kind = IDSYNC_ERR_INTERNAL;
      report(again);
    }
  }
  if (sc.unknown_op) {
    idsync_export_result r{};
    r.struct_size = sizeof r;
    r.op_id = 9999;
    report(r);
  }
  return IDSYNC_OK;
}

}  // namespace

std::vector<SentOp> Script::all_ops() const {
  std::vector<SentOp> out;
  for (const auto& b : batches) out.insert(out.end(), b.begin(), b.end());
  return out;
}

idsync_connector_type scripted_type() {
  idsync_connector_type t{};
  t.struct_size = sizeof t;
  t.type_id = "test.export";
  t.capabilities = IDSYNC_CAP_EXPORT;
  t.export_batch = &export_batch;
  return t;
}

}  // namespace idsync::exporter::test
