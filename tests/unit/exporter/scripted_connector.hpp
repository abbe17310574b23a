// A connector built on the raw C ABI whose export_batch records what it is sent and answers as
// the test scripts it, so the exporter's side of the result contract can be checked exactly.
#pragma once

#include <idsync/plugin_abi.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace idsync::exporter::test {

struct SentAttr {
  std::string name;
  idsync_attr_op op = IDSYNC_ATTR_REPLACE;
  std::vector<std::string> values;
  bool operator==(const SentAttr&) const = default;
};

struct SentOp {
  uint64_t op_id = 0;
  idsync_export_kind kind = IDSYNC_EXPORT_ADD;
  std::string object_type, anchor, dn, new_dn;
  std::vector<SentAttr> attributes;
};

struct Failure {
  idsync_status status = IDSYNC_ERROR;
  idsync_error_kind kind = IDSYNC_ERR_INVALID_VALUE;
  std::string message = "rejected";
};

struct Script {
  std::map<std::string, Failure> fail;      // by the op's DN: answer this failure
  std::map<std::string, Failure> fail_add;  // the same, for ADD ops only
  std::set<std::string> unreported;         // by DN: report nothing for these ops
  bool duplicate_first = false;             // report the first op twice
  bool unknown_op = false;                  // also report an op id not in the batch
  // The whole batch fails: nothing reported, this status returned with set_error(kind).
  idsync_status batch_status = IDSYNC_OK;
  idsync_error_kind batch_kind = IDSYNC_ERR_CONNECTION;
  std::string assign_prefix = "guid-";        // an ADD without anchor gets prefix + DN
  std::atomic<bool>* cancel_after = nullptr;  // set after `cancel_after_calls` calls
  int cancel_after_calls = 0;

  // What happened.
  int calls = 0;
  std::vector<std::vector<SentOp>> batches;
  std::vector<idsync_status> report_answers;  // what report() returned, in order

  std::vector<SentOp> all_ops() const;
};

idsync_connector_type scripted_type();
inline idsync_connector* handle(Script& s) { return reinterpret_cast<idsync_connector*>(&s); }

}  // namespace idsync::exporter::test
