#include "run_output.hpp"

#include <csignal>

#include "json_out.hpp"

namespace idsync::cli {

namespace {

std::atomic<bool> g_cancel{false};
extern "C" void on_stop_signal(int) { g_cancel.store(true); }

std::string n(uint64_t v) { return std::to_string(v); }

}  // namespace

std::string step_summary(const std::string& step, const importer::StepResult& r) {
  const auto& c = r.counters;
  if (step == "full_sync" || step == "delta_sync")
    return n(c.projections) + " projections, " + n(c.joins) + " joins, " + n(c.disconnectors) +
           " disconnectors, " + n(c.flow_updates) + " flow updates, " + n(c.export_adds) +
           " export adds, " + n(c.export_updates) + " export updates, " + n(c.export_deletes) +
           " export deletes, " + n(c.errors) + " errors (" + n(c.objects) + " objects)";
  if (step == "export")
    return n(c.adds) + " adds, " + n(c.updates) + " updates, " + n(c.deletes) + " deletes, " +
           n(c.errors) + " errors (" + n(c.objects) + " pending exports in " + n(c.pages) +
           " batches)";
  std::string s = n(c.adds) + " adds, " + n(c.updates) + " updates, " + n(c.renames) +
                  " renames, " + n(c.deletes) + " deletes, " + n(c.unchanged) + " unchanged";
  if (c.not_reimported) s += ", " + n(c.not_reimported) + " exported changes not reimported";
  return s + " (" + n(c.objects) + " objects in " + n(c.pages) + " pages)";
}

void print_step(std::ostream& out, const runtime::ProfileReport& report,
                const runtime::StepReport& s) {
  const double secs = static_cast<double>(s.ended_unix_ms - s.started_unix_ms) / 1000.0;
  out << report.connector << " / " << report.profile << " / " << s.step << ": " << s.result.status;
  if (s.result.resumed) out << " (resumed)";
  out << " - " << step_summary(s.step, s.result) << ", " << secs << " s\n";
  if (!s.result.message.empty()) out << "  " << s.result.message << "\n";
}

boost::json::object step_json(const runtime::StepReport& s) {
  return boost::json::object{{"step", s.step},
                             {"status", s.result.status},
                             {"message", s.result.message},
                             {"resumed", s.result.resumed},
                             {"run_id", s.run_id},
                             {"elapsed_ms", s.ended_unix_ms - s.started_unix_ms},
                             {"counters", counters_json(s.result.counters)},
                             {"object_issues", object_issues_json(s.result.object_issues)}};
}

const std::atomic<bool>* install_stop_signals() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  return &g_cancel;
}

}  // namespace idsync::cli
