#include "graph_exporter.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "export_plan.hpp"
#include "graph_failure.hpp"
#include "graph_values.hpp"
#include "group_members.hpp"
#include "user_matcher.hpp"

namespace idsync::msgraph {

namespace {

std::string collection(const ExportPlan& plan) { return "/" + plan.type->name() + "s"; }

bool retryable(long status) { return status == 429 || status >= 500 || status == 0; }

// Records a failed sub-request on its plan.
void fail_with(ExportPlan& plan, const std::string& doing, const BatchResult& result) {
  const GraphError e = parse_graph_error(as_response(result));
  const idsync_error_kind kind = write_failure_kind(e, result.status);
  std::string message = doing + ": " + describe(e, result.status);
  if (kind == IDSYNC_ERR_ALREADY_EXISTS)
    message = "quarantined: " + message +
              "; the object is held until the conflict is resolved in the cloud or on premises";
  plan.fail(kind, message, retryable(result.status) ? IDSYNC_RETRY : IDSYNC_ERROR);
}

// One sub-request and the plan it serves; `on_done` reads its answer.
struct Step {
  ExportPlan* plan;
  BatchRequest request;
  std::function<void(ExportPlan&, const BatchResult&)> on_done;
};

void run_round(GraphClient& graph, std::vector<Step>& steps) {
  if (steps.empty()) return;
  std::vector<BatchRequest> requests;
  requests.reserve(steps.size());
  for (const Step& s : steps) requests.push_back(s.request);
  const std::vector<BatchResult> results = graph.batch(requests);
  for (size_t i = 0; i < steps.size(); ++i) steps[i].on_done(*steps[i].plan, results[i]);
  steps.clear();
}

// Round 1: what the writes need to know first.
void read_round(GraphClient& graph, const Options& options, std::vector<ExportPlan*>& plans) {
  match_new_users(graph, options, plans);
  std::vector<Step> steps;
  for (ExportPlan* plan : plans) {
    if (!plan->active() || plan->value_edits.empty()) continue;
    std::string select;
    for (const auto& [name, edit] : plan->value_edits) select += (select.empty() ? "" : ",") + name;
    steps.push_back({plan,
                     {"GET", collection(*plan) + "/" + plan->id + "?$select=" + select, {}},
                     [](ExportPlan& p, const BatchResult& r) {
                       if (r.status != 200)
                         return fail_with(p, "reading the current values of " + p.label(), r);
                       const auto* current = r.body.if_object();
                       for (auto& [name, edit] : p.value_edits) {
                         std::vector<std::string> values;
                         if (current != nullptr)
                           if (const auto* v = current->if_contains(name)) values = values_of(*v);
                         for (const std::string& gone : edit.removed)
                           values.erase(std::remove(values.begin(), values.end(), gone),
                                        values.end());
                         for (const std::string& added : edit.added)
                           if (std::find(values.begin(), values.end(), added) == values.end())
                             values.push_back(added);
                         p.body[name] = json_of(*p.type->find(name), values);
                       }
                     }});
  }
  run_round(graph, steps);
  // A whole member list replaced: the difference with the current one, member by member.
  std::vector<ExportPlan*> replacing;
  std::vector<std::string> ids;
  for (ExportPlan* plan : plans)
    if (plan->active() && plan->members_replaced) {
      replacing.push_back(plan);
      ids.push_back(plan->id);
    }
  if (replacing.empty()) return;
  const auto current = read_members(graph, ids);
  for (size_t i = 0; i < replacing.size(); ++i) {
    ExportPlan& plan = *replacing[i];
    const std::set<std::string> now(current[i].begin(), current[i].end());
    const std::set<std::string> wanted(plan.members_replaced->begin(),
                                       plan.members_replaced->end());
    for (const std::string& id : wanted)
      if (!now.count(id)) plan.members_added.push_back(id);
    for (const std::string& id : now)
      if (!wanted.count(id)) plan.members_removed.push_back(id);
  }
}

// Round 2: create, take over, update, delete.
void write_round(GraphClient& graph, std::vector<ExportPlan*>& plans) {
  std::vector<Step> steps;
  for (ExportPlan* plan : plans) {
    if (!plan->active()) continue;
    switch (plan->op->kind) {
      case IDSYNC_EXPORT_ADD:
        if (!plan->matched_id.empty()) {
          // Taken over: its own password stays; the rest of the new state is written.
          plan->body.erase("passwordProfile");
          steps.push_back({plan,
                           {"PATCH", collection(*plan) + "/" + plan->matched_id, plan->body},
                           [](ExportPlan& p, const BatchResult& r) {
                             if (r.status != 204 && r.status != 200)
                               return fail_with(
                                   p, "taking over cloud " + p.type->name() + " " + p.matched_id,
                                   r);
                             p.id = p.matched_id;
                           }});
          break;
        }
        steps.push_back({plan,
                         {"POST", collection(*plan), plan->body},
                         [](ExportPlan& p, const BatchResult& r) {
                           if (r.status != 201 && r.status != 200)
                             return fail_with(p, "creating " + p.label(), r);
                           const auto* created = r.body.if_object();
                           const auto* id = created ? created->if_contains("id") : nullptr;
                           if (id == nullptr || !id->is_string())
                             return p.fail(
                                 IDSYNC_ERR_CONNECTION,
                                 "creating " + p.label() + ": the service's answer carries no id",
                                 IDSYNC_RETRY);
                           p.id = std::string(id->get_string());
                         }});
        break;
      case IDSYNC_EXPORT_UPDATE:
        if (plan->body.empty()) break;
        steps.push_back({plan,
                         {"PATCH", collection(*plan) + "/" + plan->id, plan->body},
                         [](ExportPlan& p, const BatchResult& r) {
                           if (r.status != 204 && r.status != 200)
                             fail_with(p, "updating " + p.label(), r);
                         }});
        break;
      case IDSYNC_EXPORT_DELETE:
        steps.push_back({plan,
                         {"DELETE", collection(*plan) + "/" + plan->id, {}},
                         [](ExportPlan& p, const BatchResult& r) {
                           // Already gone: UNKNOWN_OBJECT, as the export contract asks; the
                           // next import shows it gone.
                           if (r.status != 204 && r.status != 200)
                             fail_with(p, "deleting " + p.label(), r);
                         }});
        break;
    }
  }
  run_round(graph, steps);
}

// Round 3: member references, one at a time.
void member_round(GraphClient& graph, std::vector<ExportPlan*>& plans) {
  std::vector<Step> steps;
  for (ExportPlan* plan : plans) {
    if (!plan->active() || plan->id.empty() || plan->op->kind == IDSYNC_EXPORT_DELETE) continue;
    for (const std::string& member : plan->members_added) {
      boost::json::object ref{{"@odata.id", graph.graph_base() + "/directoryObjects/" + member}};
      steps.push_back({plan,
                       {"POST", "/groups/" + plan->id + "/members/$ref", boost::json::value(ref)},
                       [member](ExportPlan& p, const BatchResult& r) {
                         if (r.status == 204 || r.status == 200) return;
                         // "One or more added object references already exist": done already.
                         const GraphError e = parse_graph_error(as_response(r));
                         if (r.status == 400 &&
                             e.message.find("already exist") != std::string::npos)
                           return;
                         fail_with(p, "adding member " + member + " to " + p.label(), r);
                       }});
    }
    for (const std::string& member : plan->members_removed)
      steps.push_back({plan,
                       {"DELETE", "/groups/" + plan->id + "/members/" + member + "/$ref", {}},
                       [member](ExportPlan& p, const BatchResult& r) {
                         if (r.status == 204 || r.status == 200 || r.status == 404) return;
                         fail_with(p, "removing member " + member + " from " + p.label(), r);
                       }});
  }
  run_round(graph, steps);
}

void report(const ExportPlan& plan, sdk::ExportResults& results, const sdk::Diag& diag) {
  const bool created = plan.is_add() && !plan.id.empty();
  if (plan.failed && created) {
    // Exists in the cloud now: report it, so that it is linked and never created twice.
    diag.warn(plan.label() + " was created, but " + plan.message);
    results.ok(plan.op->op_id, plan.id);
    return;
  }
  if (plan.failed) {
    results.fail(plan.op->op_id, plan.error_kind, plan.message, plan.status);
    return;
  }
  results.ok(plan.op->op_id, plan.is_add() ? plan.id : std::string());
}

}  // namespace

void run_export(GraphClient& graph, const GraphSchema& schema, const Options& options,
                const std::vector<sdk::ExportOp>& ops, sdk::ExportResults& results,
                const sdk::Diag& diag) {
  std::vector<ExportPlan> plans;
  plans.reserve(ops.size());
  for (const sdk::ExportOp& op : ops) plans.push_back(plan_export(schema, options, op));
  std::vector<ExportPlan*> active;
  for (ExportPlan& plan : plans) active.push_back(&plan);

  try {
    read_round(graph, options, active);
    write_round(graph, active);
    member_round(graph, active);
  } catch (const sdk::Error&) {
    // The service is out of reach: report what is settled (above all, what was created) and
    // leave the rest to the host, which marks it to retry with the step's error.
    for (const ExportPlan& plan : plans)
      if (plan.failed || (plan.is_add() && !plan.id.empty())) report(plan, results, diag);
    throw;
  }
  for (const ExportPlan& plan : plans) report(plan, results, diag);
}

}  // namespace idsync::msgraph
