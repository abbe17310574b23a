#include "control/report_json.hpp"

#include <boost/json.hpp>

#include "store/run_history.hpp"

namespace idsync::control {

namespace json = boost::json;

namespace {

json::object step_to_json(const runtime::StepReport& s) {
  json::array issues;
  for (const auto& i : s.result.object_issues)
    issues.push_back(json::object{{"anchor", i.anchor}, {"kind", i.kind}, {"message", i.message}});
  return json::object{{"step", s.step},
                      {"status", s.result.status},
                      {"message", s.result.message},
                      {"resumed", s.result.resumed},
                      {"run_id", s.run_id},
                      {"started_ms", s.started_unix_ms},
                      {"ended_ms", s.ended_unix_ms},
                      {"counters", store::counters_to_json(s.result.counters)},
                      {"object_issues", std::move(issues)}};
}

runtime::StepReport step_from_json(const json::object& o) {
  runtime::StepReport s;
  s.step = o.at("step").as_string().c_str();
  s.result.status = o.at("status").as_string().c_str();
  s.result.message = o.at("message").as_string().c_str();
  s.result.resumed = o.at("resumed").as_bool();
  s.run_id = o.at("run_id").to_number<uint64_t>();
  s.started_unix_ms = o.at("started_ms").to_number<int64_t>();
  s.ended_unix_ms = o.at("ended_ms").to_number<int64_t>();
  s.result.counters = store::counters_from_json(o.at("counters").as_object());
  for (const auto& v : o.at("object_issues").as_array()) {
    const json::object& i = v.as_object();
    s.result.object_issues.push_back({i.at("anchor").as_string().c_str(),
                                      i.at("kind").as_string().c_str(),
                                      i.at("message").as_string().c_str()});
  }
  return s;
}

}  // namespace

json::object to_json(const runtime::ProfileReport& r) {
  json::array steps;
  for (const auto& s : r.steps) steps.push_back(step_to_json(s));
  return json::object{{"connector", r.connector}, {"profile", r.profile}, {"steps", steps}};
}

json::object to_json(const runtime::CycleReport& r) {
  json::array runs;
  for (const auto& p : r.runs) runs.push_back(to_json(p));
  return json::object{{"policy", manifest::to_string(r.policy)},
                      {"cancelled", r.cancelled},
                      {"runs", std::move(runs)}};
}

runtime::ProfileReport profile_report_from_json(const json::object& o) {
  runtime::ProfileReport r;
  r.connector = o.at("connector").as_string().c_str();
  r.profile = o.at("profile").as_string().c_str();
  for (const auto& s : o.at("steps").as_array()) r.steps.push_back(step_from_json(s.as_object()));
  return r;
}

runtime::CycleReport cycle_report_from_json(const json::object& o) {
  runtime::CycleReport r;
  const std::string_view policy = o.at("policy").as_string();
  if (policy != "Delta" && policy != "Initial")
    throw std::invalid_argument("unknown cycle policy in a report");
  r.policy =
      policy == "Initial" ? manifest::SyncCyclePolicy::kInitial : manifest::SyncCyclePolicy::kDelta;
  r.cancelled = o.at("cancelled").as_bool();
  for (const auto& p : o.at("runs").as_array())
    r.runs.push_back(profile_report_from_json(p.as_object()));
  return r;
}

}  // namespace idsync::control
