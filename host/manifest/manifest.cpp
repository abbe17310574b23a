#include "manifest/manifest.hpp"

#include <sys/un.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <system_error>
#include <utility>

#include "manifest/delete_limit.hpp"
#include "manifest/intervals.hpp"
#include "manifest/json_access.hpp"
#include "manifest/json_path.hpp"
#include "manifest/json_text.hpp"
#include "manifest/names.hpp"
#include "manifest/paths.hpp"
#include "manifest/suggest.hpp"
#include "metrics_http/metrics_server.hpp"

namespace idsync::manifest {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct StepTypeName {
  StepType type;
  std::string_view name;
};
constexpr StepTypeName kStepTypes[] = {
    {StepType::kFullImport, "full_import"}, {StepType::kDeltaImport, "delta_import"},
    {StepType::kFullSync, "full_sync"},     {StepType::kDeltaSync, "delta_sync"},
    {StepType::kExport, "export"},
};

const std::vector<std::string_view> kLogLevels = {"trace", "debug", "info", "warn", "error"};
const std::vector<std::string_view> kPolicies = {"Delta", "Initial"};
const std::vector<std::string_view> kCycleStages = {"import", "sync", "export"};
const std::vector<std::string_view> kDeprovisioning = {"delete_mv_object", "make_disconnector"};

std::vector<std::string_view> step_type_names() {
  std::vector<std::string_view> out;
  for (const auto& s : kStepTypes) out.push_back(s.name);
  return out;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Everything parse_manifest needs while it walks the document.
class Reader {
 public:
  Reader(Manifest& m, std::vector<Diagnostic>& problems) : m_(m), problems_(problems) {}

  void root(const json::value& v) {
    if (!v.is_object()) {
      problems_.push_back({"", expected_found("an object at the top level", v)});
      return;
    }
    ObjectReader r(v.get_object(), "",
                   {"manifest_version", "store", "plugin_dirs", "rules", "log", "control",
                    "metrics", "scheduler", "connectors"},
                   problems_);
    if (const json::value* version = r.find("manifest_version")) {
      auto n = read_integer(*version, 0, 0, r.path_of("manifest_version"), problems_);
      if (n && *n != kManifestVersion)
        r.error("manifest_version", "unsupported manifest version; this idsync reads version " +
                                        std::to_string(kManifestVersion));
      if (n) m_.manifest_version = *n;
    }
    store(r.object("store", Need::kRequired), r.path_of("store"));
    if (auto dirs = r.names("plugin_dirs"))
      for (const auto& d : *dirs) m_.plugin_dirs.push_back(resolve_path(m_.base_dir, d));
    rules(r.object("rules"), r.path_of("rules"));
    log(r.object("log"), r.path_of("log"));
    control(r.object("control"), r.path_of("control"));
    metrics(r.object("metrics"), r.path_of("metrics"));
    const json::array* connectors = r.array("connectors", Need::kRequired);
    if (connectors) this->connectors(*connectors, r.path_of("connectors"));
    // After the connectors: connector_order refers to them.
    scheduler(r.object("scheduler"), r.path_of("scheduler"));
  }

 private:
  void store(const json::object* o, const std::string& path) {
    if (!o) return;
    ObjectReader r(*o, path, {"path"}, problems_);
    if (auto p = r.path("path", m_.base_dir, Need::kRequired)) m_.store.path = *p;
  }

  void rules(const json::object* o, const std::string& path) {
    m_.rules.path = resolve_path(m_.base_dir, "rules");
    if (!o) return;
    ObjectReader r(*o, path, {"path"}, problems_);
    if (auto p = r.path("path", m_.base_dir)) m_.rules.path = *p;
  }

  void log(const json::object* o, const std::string& path) {
    if (!o) return;
    ObjectReader r(*o, path, {"level", "file", "format"}, problems_);
    if (auto level = r.one_of("level", kLogLevels))
      for (std::size_t i = 0; i < kLogLevels.size(); ++i)
        if (kLogLevels[i] == *level) m_.log.level = static_cast<LogLevel>(IDSYNC_LOG_TRACE + i);
    if (auto f = r.path("file", m_.base_dir)) m_.log.file = *f;
    if (auto format = r.one_of("format", {"text", "json"}))
      m_.log.format = *format == "json" ? LogFormat::kJson : LogFormat::kText;
  }

  void control(const json::object* o, const std::string& path) {
    m_.control.socket = resolve_path(m_.base_dir, "run/idsync.sock");
    if (o) {
      ObjectReader r(*o, path, {"socket"}, problems_);
      if (auto p = r.path("socket", m_.base_dir)) m_.control.socket = *p;
    }
    // Checked on the default too: a deep manifest folder can push it over the limit.
    constexpr std::size_t kMax = sizeof(sockaddr_un{}.sun_path) - 1;
    const std::string s = m_.control.socket.string();
    if (s.size() > kMax)
      problems_.push_back({member_path(path, "socket"),
                           "the socket path \"" + s + "\" is " + std::to_string(s.size()) +
                               " bytes long; a Unix socket path may have at most " +
                               std::to_string(kMax)});
  }

  void metrics(const json::object* o, const std::string& path) {
    if (!o) return;
    ObjectReader r(*o, path, {"listen"}, problems_);
    if (auto listen = r.string("listen")) {
      try {
        metrics::parse_listen_address(*listen);
        m_.metrics.listen = *listen;
      } catch (const metrics::MetricsError& e) {
        r.error("listen", e.what());
      }
    }
  }

  std::optional<std::chrono::seconds> interval(ObjectReader& r, std::string_view key) {
    const json::value* v = r.find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      r.error(key, expected_found(R"(an interval "d.HH:mm:ss" or "HH:mm:ss")", *v));
      return std::nullopt;
    }
    auto s = parse_interval(std::string_view(v->get_string().data(), v->get_string().size()));
    if (!s) {
      r.error(key, std::string(kIntervalSyntax));
      return std::nullopt;
    }
    if (s->count() == 0) {
      r.error(key, "must be longer than 00:00:00");
      return std::nullopt;
    }
    return s;
  }

  void scheduler(const json::object* o, const std::string& path) {
    if (!o) return;
    SchedulerSettings& s = m_.scheduler;
    ObjectReader r(
        *o, path,
        {"allowed_sync_cycle_interval", "sync_cycle_enabled", "maintenance_enabled",
         "staging_mode_enabled", "customized_sync_cycle_interval", "next_sync_cycle_policy_type",
         "purge_run_history_interval", "active_hours", "connector_order", "cycle_sequence"},
        problems_);
    if (auto i = interval(r, "allowed_sync_cycle_interval")) s.allowed_sync_cycle_interval = *i;
    if (auto b = r.boolean("sync_cycle_enabled")) s.sync_cycle_enabled = *b;
    if (auto b = r.boolean("maintenance_enabled")) s.maintenance_enabled = *b;
    if (auto b = r.boolean("staging_mode_enabled")) s.staging_mode_enabled = *b;
    if (auto i = interval(r, "customized_sync_cycle_interval"))
      s.customized_sync_cycle_interval = *i;
    if (auto p = r.one_of("next_sync_cycle_policy_type", kPolicies))
      s.next_sync_cycle_policy_type =
          *p == "Initial" ? SyncCyclePolicy::kInitial : SyncCyclePolicy::kDelta;
    if (auto i = interval(r, "purge_run_history_interval")) s.purge_run_history_interval = *i;
    if (auto text = r.string("active_hours")) {
      s.active_hours = parse_active_hours(*text);
      if (!s.active_hours) r.error("active_hours", std::string(kActiveHoursSyntax));
    }
    cycle_sequence(r);
    if (r.find("cycle_sequence") && r.find("connector_order"))
      r.error("connector_order",
              "give either connector_order or cycle_sequence: a cycle sequence names its own "
              "order");

    const json::value* order_value = r.find("connector_order");
    if (!order_value) return;
    if (!order_value->is_array()) {
      r.error("connector_order", expected_found("an array of strings", *order_value));
      return;
    }
    const json::array* order = &order_value->get_array();
    const std::string order_path = r.path_of("connector_order");
    std::vector<std::string_view> declared;
    for (const auto& c : m_.connectors) declared.push_back(c.name);
    std::map<std::string, bool> seen;  // folded name
    for (std::size_t i = 0; i < order->size(); ++i) {
      const json::value& item = (*order)[i];
      const std::string item_path = index_path(order_path, i);
      if (!item.is_string()) {
        problems_.push_back({item_path, expected_found("a string", item)});
        continue;
      }
      const std::string_view name(item.get_string().data(), item.get_string().size());
      const ConnectorDecl* c = m_.find_connector(name);
      if (!c) {
        problems_.push_back(
            {item_path, "no connector is named " + in_quotes(name) + did_you_mean(name, declared)});
      } else if (!seen.emplace(fold_name(name), true).second) {
        problems_.push_back({item_path, in_quotes(name) + " is listed twice"});
      } else {
        s.connector_order.push_back(c->name);
      }
    }
  }

  void cycle_sequence(ObjectReader& r) {
    const json::array* steps = r.array("cycle_sequence");
    if (!steps) return;
    const std::string steps_path = r.path_of("cycle_sequence");
    std::vector<std::string_view> declared;
    for (const auto& c : m_.connectors) declared.push_back(c.name);
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const std::string step_path = index_path(steps_path, i);
      if (!(*steps)[i].is_object()) {
        problems_.push_back({step_path, expected_found("an object", (*steps)[i])});
        continue;
      }
      ObjectReader sr((*steps)[i].get_object(), step_path, {"connector", "step"}, problems_);
      const auto name = sr.name("connector", Need::kRequired);
      const auto stage = sr.one_of("step", kCycleStages, Need::kRequired);
      if (!name || !stage) continue;
      const ConnectorDecl* c = m_.find_connector(*name);
      if (!c) {
        sr.error("connector",
                 "no connector is named " + in_quotes(*name) + did_you_mean(*name, declared));
        continue;
      }
      CycleStep step;
      step.connector = c->name;
      step.stage = *stage == "import" ? CycleStage::kImport
                   : *stage == "sync" ? CycleStage::kSync
                                      : CycleStage::kExport;
      m_.scheduler.cycle_sequence.push_back(std::move(step));
    }
  }

  void connectors(const json::array& a, const std::string& path) {
    // Folded name -> path of the connector that declared it first.
    std::map<std::string, std::pair<std::string, std::string>> first;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string cpath = index_path(path, i);
      if (!a[i].is_object()) {
        problems_.push_back({cpath, expected_found("an object", a[i])});
        continue;
      }
      ConnectorDecl c;
      c.json_path = cpath;
      c.base_dir = m_.base_dir;
      ObjectReader r(
          a[i].get_object(), cpath,
          {"name", "type", "description", "config", "object_types", "run_profiles",
           "full_import_delete_limit", "deprovisioning", "export_batch_size", "location"},
          problems_);
      if (auto name = r.name("name", Need::kRequired)) {
        auto [it, fresh] = first.emplace(fold_name(*name), std::pair(cpath, *name));
        if (!fresh)
          r.error("name", "duplicate connector name; " + it->second.first + " is already named " +
                              in_quotes(it->second.second) + " (names ignore case)");
        c.name = std::move(*name);
      }
      if (auto type = r.name("type", Need::kRequired)) c.type = std::move(*type);
      if (auto d = r.string("description")) c.description = std::move(*d);
      if (const json::object* config = r.object("config")) c.config = *config;
      if (auto types = r.names("object_types")) c.object_types = std::move(*types);
      if (const json::value* limit = r.find("full_import_delete_limit"))
        if (auto l = read_delete_limit(*limit, r.path_of("full_import_delete_limit"), problems_))
          c.full_import_delete_limit = *l;
      if (auto b = r.integer("export_batch_size", 1, kMaxPageSize))
        c.export_batch_size = static_cast<std::uint32_t>(*b);
      if (auto d = r.one_of("deprovisioning", kDeprovisioning))
        c.deprovisioning = *d == "make_disconnector" ? Deprovisioning::kMakeDisconnector
                                                     : Deprovisioning::kDeleteMvObject;
      if (auto l = r.one_of("location", {"on_premises", "cloud"}))
        c.location = *l == "cloud" ? ConnectorLocation::kCloud : ConnectorLocation::kOnPremises;
      if (const json::object* profiles = r.object("run_profiles"))
        run_profiles(*profiles, r.path_of("run_profiles"), c);
      m_.connectors.push_back(std::move(c));
    }
  }

  void run_profiles(const json::object& o, const std::string& path, ConnectorDecl& c) {
    std::map<std::string, std::string> first;  // folded name -> name as first written
    for (const auto& member : o) {
      const std::string_view name(member.key().data(), member.key().size());
      RunProfile p;
      p.name = std::string(name);
      p.json_path = member_path(path, name);
      if (name.empty()) {
        problems_.push_back({p.json_path, "run profile name must not be empty"});
        continue;
      }
      auto [it, fresh] = first.emplace(fold_name(name), p.name);
      if (!fresh) {
        problems_.push_back({p.json_path, "duplicate run profile name; " + in_quotes(it->second) +
                                              " is already defined (names ignore case)"});
        continue;
      }
      const json::value& steps = member.value();
      if (!steps.is_array()) {
        problems_.push_back({p.json_path, expected_found("an array of steps", steps)});
        continue;
      }
      if (steps.get_array().empty()) {
        problems_.push_back({p.json_path, "a run profile needs at least one step"});
        continue;
      }
      for (std::size_t i = 0; i < steps.get_array().size(); ++i)
        if (auto step = run_step(steps.get_array()[i], index_path(p.json_path, i)))
          p.steps.push_back(*step);
      c.run_profiles.push_back(std::move(p));
    }
  }

  std::optional<RunStep> run_step(const json::value& v, const std::string& path) {
    if (!v.is_object()) {
      problems_.push_back({path, expected_found("an object", v)});
      return std::nullopt;
    }
    ObjectReader r(v.get_object(), path, {"type", "page_size"}, problems_);
    RunStep step;
    bool ok = true;
    if (auto t = r.one_of("type", step_type_names(), Need::kRequired))
      step.type = *parse_step_type(*t);
    else
      ok = false;
    if (const json::value* ps = r.find("page_size")) {
      if (auto n = read_integer(*ps, 1, kMaxPageSize, r.path_of("page_size"), problems_))
        step.page_size = static_cast<std::uint32_t>(*n);
      else
        ok = false;
    }
    return ok ? std::optional(step) : std::nullopt;
  }

  Manifest& m_;
  std::vector<Diagnostic>& problems_;
};

std::string display_name(const fs::path& file) {
  return file.empty() ? std::string("<manifest>") : file.string();
}

}  // namespace

std::string to_string(StepType type) {
  for (const auto& s : kStepTypes)
    if (s.type == type) return std::string(s.name);
  return "unknown";
}

std::optional<StepType> parse_step_type(std::string_view text) {
  for (const auto& s : kStepTypes)
    if (s.name == text) return s.type;
  return std::nullopt;
}

std::string to_string(LogLevel level) {
  const auto i = static_cast<std::size_t>(static_cast<std::int32_t>(level) - IDSYNC_LOG_TRACE);
  return i < kLogLevels.size() ? std::string(kLogLevels[i]) : "unknown";
}

std::string to_string(SyncCyclePolicy policy) {
  return policy == SyncCyclePolicy::kInitial ? "Initial" : "Delta";
}

std::string to_string(CycleStage stage) {
  return std::string(kCycleStages[static_cast<std::size_t>(stage)]);
}

const RunProfile* ConnectorDecl::find_run_profile(std::string_view name) const {
  for (const auto& p : run_profiles)
    if (names_equal(p.name, name)) return &p;
  return nullptr;
}

const ConnectorDecl* Manifest::find_connector(std::string_view name) const {
  for (const auto& c : connectors)
    if (names_equal(c.name, name)) return &c;
  return nullptr;
}

Manifest parse_manifest(std::string_view text, const fs::path& file_for_messages) {
  std::vector<Diagnostic> problems;
  auto root = parse_json_text(text, problems);
  if (!root) throw ManifestError(display_name(file_for_messages), std::move(problems));

  Manifest m;
  if (file_for_messages.empty()) {
    m.base_dir = fs::current_path();
  } else {
    m.file = fs::absolute(file_for_messages).lexically_normal();
    m.base_dir = m.file.parent_path();
  }
  Reader(m, problems).root(*root);
  if (!problems.empty()) throw ManifestError(display_name(file_for_messages), std::move(problems));
  return m;
}

Manifest load_manifest(const fs::path& file) {
  auto fail = [&](int err) {
    throw ManifestError(display_name(file),
                        {{"", "cannot read the manifest: " + std::system_category().message(err)}});
  };
  errno = 0;
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) fail(errno);
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const int err = std::ferror(f) ? (errno != 0 ? errno : EIO) : 0;
  std::fclose(f);
  if (err) fail(err);
  return parse_manifest(text, file);
}

}  // namespace idsync::manifest
