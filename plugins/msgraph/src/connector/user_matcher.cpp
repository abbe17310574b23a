#include "user_matcher.hpp"

#include "graph_failure.hpp"
#include "http/url.hpp"

namespace idsync::msgraph {

namespace {

struct Probe {
  ExportPlan* plan;
  std::string key;    // the property compared
  std::string value;  // the new user's value
  bool soft;
};

struct Candidate {
  std::string id;
  std::string immutable_id;
  std::string display_name;
};

std::string body_text(const ExportPlan& plan, const char* name) {
  const auto* v = plan.body.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string filter_of(const Probe& p) {
  if (p.key == "proxyAddresses")
    return "proxyAddresses/any(p:p eq " + odata_literal("smtp:" + p.value) + ")";
  return p.key + " eq " + odata_literal(p.value);
}

std::string text_of(const boost::json::object& o, const char* name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<Candidate> candidates(const BatchResult& result) {
  std::vector<Candidate> found;
  const auto* body = result.body.if_object();
  const auto* value = body != nullptr ? body->if_contains("value") : nullptr;
  if (value == nullptr || !value->is_array()) return found;
  for (const boost::json::value& item : value->get_array())
    if (const auto* o = item.if_object())
      found.push_back(
          {text_of(*o, "id"), text_of(*o, "onPremisesImmutableId"), text_of(*o, "displayName")});
  return found;
}

std::string quarantine_message(const Probe& p, const Candidate& c) {
  return "quarantined: " + p.key + " \"" + p.value + "\" is held by cloud user " + c.id + " (" +
         c.display_name + "), which belongs to another on-premises object (onPremisesImmutableId " +
         c.immutable_id + "); the user is not created until one of the two changes";
}

// Applies one probe's answer; true when it settled the plan (matched or failed).
bool decide(const Probe& p, const BatchResult& result, const std::string& own_immutable_id) {
  ExportPlan& plan = *p.plan;
  if (result.status != 200) {
    const GraphError e = parse_graph_error(as_response(result));
    plan.fail(write_failure_kind(e, result.status),
              "looking for a cloud user with " + p.key + " \"" + p.value +
                  "\": " + describe(e, result.status),
              result.status >= 500 || result.status == 429 || result.status == 0 ? IDSYNC_RETRY
                                                                                 : IDSYNC_ERROR);
    return true;
  }
  const std::vector<Candidate> found = candidates(result);
  if (found.empty()) return false;
  if (found.size() > 1) {
    plan.fail(IDSYNC_ERR_ALREADY_EXISTS, "quarantined: " + std::to_string(found.size()) +
                                             " cloud users have " + p.key + " \"" + p.value +
                                             "\" (" + found[0].id + ", " + found[1].id + ")");
    return true;
  }
  const Candidate& c = found.front();
  if (!p.soft || c.immutable_id.empty() || c.immutable_id == own_immutable_id) {
    plan.matched_id = c.id;
    return true;
  }
  plan.fail(IDSYNC_ERR_ALREADY_EXISTS, quarantine_message(p, c));
  return true;
}

}  // namespace

std::string odata_literal(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

void match_new_users(GraphClient& graph, const Options& options, std::vector<ExportPlan*>& plans) {
  std::vector<Probe> probes;
  for (ExportPlan* plan : plans) {
    if (!plan->active() || !plan->is_add() || plan->type->name() != "user") continue;
    const std::string immutable_id = body_text(*plan, "onPremisesImmutableId");
    const std::string upn = body_text(*plan, "userPrincipalName");
    const std::string mail = body_text(*plan, "mail");
    if (options.hard_match && !immutable_id.empty())
      probes.push_back({plan, "onPremisesImmutableId", immutable_id, false});
    if (options.soft_match_upn && !upn.empty())
      probes.push_back({plan, "userPrincipalName", upn, true});
    if (options.soft_match_smtp && !mail.empty())
      probes.push_back({plan, "proxyAddresses", mail, true});
  }
  if (probes.empty()) return;

  std::vector<BatchRequest> requests;
  requests.reserve(probes.size());
  for (const Probe& p : probes)
    requests.push_back({"GET",
                        "/users?$filter=" + http::percent_encode(filter_of(p)) +
                            "&$select=id,onPremisesImmutableId,displayName&$top=2",
                        {}});
  const std::vector<BatchResult> results = graph.batch(requests);

  // Probes of one plan are in priority order: the first that settles it wins.
  for (size_t i = 0; i < probes.size(); ++i) {
    ExportPlan& plan = *probes[i].plan;
    if (!plan.active() || !plan.matched_id.empty()) continue;
    decide(probes[i], results[i], body_text(plan, "onPremisesImmutableId"));
  }
}

}  // namespace idsync::msgraph
