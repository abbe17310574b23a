#include "connector/scim_exporter.hpp"

#include <map>

#include "client/scim_error.hpp"
#include "connector/write_planner.hpp"
#include "model/bulk_message.hpp"
#include "model/json_access.hpp"

namespace idsync::scim {

namespace {

// What came back for one write, from a single request or a bulk operation.
struct Answer {
  long status = 0;
  std::string location;
  boost::json::value body;
};

class Exporter {
 public:
  Exporter(ScimClient& client, const Discovery& discovery, const Options& options,
           sdk::ExportResults& results, const sdk::Diag& diag)
      : client_(client),
        discovery_(discovery),
        options_(options),
        results_(results),
        diag_(diag),
        planner_(client, discovery, options) {}

  void run(const std::vector<sdk::ExportOp>& ops) {
    std::map<uint64_t, const sdk::ExportOp*> by_id;
    std::vector<PlannedWrite> writes;
    for (const sdk::ExportOp& op : ops) {
      if (results_.cancelled()) throw sdk::Stopped();
      by_id[op.op_id] = &op;
      PlannedWrite w = planner_.plan(op);
      if (w.failure) {
        fail(w.op_id, *w.failure);
      } else if (w.request.method.empty()) {
        results_.ok(w.op_id, w.kind == IDSYNC_EXPORT_ADD ? w.anchor : "");
      } else {
        writes.push_back(std::move(w));
      }
    }
    ops_ = &by_id;
    if (use_bulk(writes.size()))
      send_in_bulk(writes);
    else
      for (PlannedWrite& w : writes) send_alone(w, true);
  }

 private:
  bool use_bulk(size_t count) const {
    return options_.use_bulk && discovery_.features.bulk && count >= 2;
  }

  void fail(uint64_t op_id, const WriteFailure& f) {
    results_.fail(op_id, f.kind, f.message, f.status);
  }

  // Sends one write on its own; on 412 reads the resource again and sends once more.
  void send_alone(PlannedWrite& w, bool may_replan) {
    if (results_.cancelled()) throw sdk::Stopped();
    ScimClient::Headers headers;
    if (!w.request.version.empty()) headers.emplace_back("If-Match", w.request.version);
    const boost::json::value* body = w.request.data ? &*w.request.data : nullptr;
    const http::HttpResponse response =
        client_.send(w.request.method, w.request.path, body, headers);
    Answer answer{response.status, response.header("Location").value_or(""), nullptr};
    if (auto parsed = parse_json(response.body)) answer.body = std::move(*parsed);
    conclude(w, answer, may_replan);
  }

  void conclude(PlannedWrite& w, const Answer& a, bool may_replan) {
    const std::string what = w.request.method + " " + w.request.path;
    if (a.status >= 200 && a.status < 300) {
      if (!w.note.empty()) diag_.info(what + ": " + w.note);
      if (w.kind != IDSYNC_EXPORT_ADD) return results_.ok(w.op_id);
      std::string id = w.anchor;
      if (id.empty()) id = string_member(a.body, "id").value_or("");
      if (id.empty() && !a.location.empty()) id = id_from_location(a.location);
      if (id.empty())
        return results_.fail(w.op_id, IDSYNC_ERR_INTERNAL,
                             what + ": the service created the resource but gave no id");
      return results_.ok(w.op_id, id);
    }
    if (a.status == 412 && may_replan) {
      diag_.info(what + ": the resource changed since it was read (412); reading it again");
      PlannedWrite again = planner_.plan(*ops_->at(w.op_id));
      if (again.failure) return fail(again.op_id, *again.failure);
      if (again.request.method.empty())
        return results_.ok(again.op_id, again.kind == IDSYNC_EXPORT_ADD ? again.anchor : "");
      return send_alone(again, false);
    }
    const ScimError error = a.body.is_object() ? parse_scim_error(a.body) : ScimError{};
    const idsync_error_kind kind = error_kind(error, a.status);
    results_.fail(w.op_id, kind, what + ": " + describe(error, a.status),
                  is_retryable(a.status) ? IDSYNC_RETRY : IDSYNC_ERROR);
  }

  void send_in_bulk(std::vector<PlannedWrite>& writes) {
    int64_t max_ops = discovery_.features.bulk_max_operations;
    if (options_.writes_per_interval > 0)
      max_ops = std::min<int64_t>(max_ops, options_.writes_per_interval);
    std::vector<BulkItem> items;
    for (const PlannedWrite& w : writes) items.push_back(w.request);
    for (const std::vector<size_t>& chunk :
         bulk_chunks(items, max_ops, discovery_.features.bulk_max_payload)) {
      if (results_.cancelled()) throw sdk::Stopped();
      if (chunk.size() == 1) {
        send_alone(writes[chunk.front()], true);
        continue;
      }
      send_chunk(writes, chunk);
    }
  }

  void send_chunk(std::vector<PlannedWrite>& writes, const std::vector<size_t>& chunk) {
    std::vector<BulkItem> items;
    for (const size_t i : chunk) items.push_back(writes[i].request);
    const boost::json::value body = bulk_request(items);
    const http::HttpResponse response =
        client_.send("POST", "/Bulk", &body, {}, static_cast<int>(items.size()));
    const auto parsed = parse_json(response.body);
    if (response.status != 200 || !parsed) {
      // The request as a whole was refused (too large, not understood): nothing was done.
      diag_.warn("POST /Bulk with " + std::to_string(items.size()) +
                 " operations was refused (HTTP " + std::to_string(response.status) +
                 "); sending them one by one");
      for (const size_t i : chunk) send_alone(writes[i], true);
      return;
    }
    const auto outcomes = match_bulk_response(items, *parsed);
    for (size_t k = 0; k < chunk.size(); ++k) {
      PlannedWrite& w = writes[chunk[k]];
      const auto& o = outcomes[k];
      if (!o) {
        // Perhaps carried out: a create sent again is matched by externalId, not duplicated.
        results_.fail(w.op_id, IDSYNC_ERR_CONNECTION,
                      w.request.method + " " + w.request.path +
                          ": the bulk answer held no result for this operation",
                      IDSYNC_RETRY);
        continue;
      }
      if (is_retryable(o->status) && o->status != 0) {
        send_alone(w, true);  // the client waits for Retry-After
        continue;
      }
      conclude(w, Answer{o->status, o->location, o->response}, true);
    }
  }

  ScimClient& client_;
  const Discovery& discovery_;
  const Options& options_;
  sdk::ExportResults& results_;
  const sdk::Diag& diag_;
  WritePlanner planner_;
  const std::map<uint64_t, const sdk::ExportOp*>* ops_ = nullptr;
};

}  // namespace

void run_export(ScimClient& client, const Discovery& discovery, const Options& options,
                const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results,
                const sdk::Diag& diag) {
  Exporter(client, discovery, options, results, diag).run(ops);
}

}  // namespace idsync::scim
