#include "runtime/object_trace.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "store/connector_space.hpp"
#include "store/import_progress.hpp"
#include "store/links.hpp"
#include "store/metaverse.hpp"
#include "sync/batch_overlay.hpp"
#include "sync/contribution.hpp"
#include "sync/cs_context.hpp"
#include "sync/inbound_sync.hpp"
#include "sync/join.hpp"
#include "sync/membership.hpp"
#include "sync/mv_context.hpp"
#include "sync/outbound_flow.hpp"
#include "sync/outbound_rules.hpp"
#include "sync/outbound_sync.hpp"
#include "sync/rule_catalog.hpp"

namespace idsync::runtime {

namespace fs = std::filesystem;

namespace {

// A checkpoint of the store next to it (same filesystem, so table files are hard links),
// opened read-write for the engine to change, and deleted with everything in it at the end.
class ScratchCopy {
 public:
  explicit ScratchCopy(store::Store& source)
      : dir_(source.path().parent_path() /
             (source.path().filename().string() + ".trace-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);  // left by a trace that was killed
    source.checkpoint(dir_);
    store_ = store::Store::open(dir_);
  }
  ~ScratchCopy() {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  ScratchCopy(const ScratchCopy&) = delete;
  ScratchCopy& operator=(const ScratchCopy&) = delete;

  store::Store& store() { return *store_; }

 private:
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

// Outbound sync works through every mark; the copy keeps only the ones this trace makes.
void clear_outbound_marks(store::Store& st) {
  rocksdb::ReadOptions options;
  auto it = st.iterator(store::Family::mv_dirty, options);
  rocksdb::WriteBatch batch;
  for (it->SeekToFirst(); it->Valid(); it->Next())
    batch.Delete(st.family(store::Family::mv_dirty), it->key());
  st.write(batch);
}

RuleVerdict verdict(const sync::CompiledRule& r, bool in_scope) {
  return RuleVerdict{r.rule->name, r.rule->connector,
                     std::string(sync_rules::to_string(r.rule->link_type)), r.rule->precedence,
                     in_scope};
}

bool contains(const std::vector<const sync::CompiledRule*>& rules, const sync::CompiledRule* r) {
  return std::find(rules.begin(), rules.end(), r) != rules.end();
}

std::string join_group_text(const sync_rules::SyncRule& rule, std::size_t group) {
  std::string out = "join group " + std::to_string(group + 1) + " of \"" + rule.name + "\" (";
  const auto& conditions = rule.join.at(group).conditions;
  for (std::size_t i = 0; i < conditions.size(); ++i)
    out += (i ? " and " : "") + conditions[i].cs_attribute + " = " + conditions[i].mv_attribute;
  return out + ")";
}

// The export a trace compares: timestamps change on every merge and say nothing.
bool same_export(const std::optional<store::PendingExport>& a,
                 const std::optional<store::PendingExport>& b) {
  if (!a || !b) return !a && !b;
  store::PendingExport x = *a, y = *b;
  x.created_unix_ms = y.created_unix_ms = 0;
  x.updated_unix_ms = y.updated_unix_ms = 0;
  return x == y;
}

std::vector<AttributeTrace> attribute_traces(const store::MvObject* before,
                                             const store::MvObject* after,
                                             const std::map<uint32_t, std::string>& names) {
  std::map<std::string, AttributeTrace> by_name;  // lowercase name
  auto entry = [&](const store::MvAttribute& a) -> AttributeTrace& {
    std::string key = a.name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    AttributeTrace& t = by_name[key];
    t.name = a.name;
    t.type = a.type;
    return t;
  };
  if (before)
    for (const auto& a : before->attributes) entry(a).before = a.values;
  if (after)
    for (const auto& a : after->attributes) {
      AttributeTrace& t = entry(a);
      t.after = a.values;
      t.provenance = a.provenance;
      auto it = names.find(a.provenance.connector_id);
      t.source_connector =
          it != names.end() ? it->second : "#" + std::to_string(a.provenance.connector_id);
    }
  std::vector<AttributeTrace> out;
  for (auto& [key, t] : by_name) out.push_back(std::move(t));
  return out;
}

}  // namespace

std::string_view to_string(JoinOutcome outcome) {
  switch (outcome) {
    case JoinOutcome::stays_joined:
      return "stays-joined";
    case JoinOutcome::joined:
      return "joined";
    case JoinOutcome::projected:
      return "projected";
    case JoinOutcome::disconnected:
      return "disconnected";
    case JoinOutcome::not_joined:
      return "not-joined";
    case JoinOutcome::join_error:
      return "join-error";
    case JoinOutcome::error:
      return "error";
  }
  return "unknown";
}

ObjectTrace trace_object(Runtime& runtime, const manifest::ConnectorDecl& connector,
                         const std::string& anchor) {
  store::Store& st = runtime.store();
  const LoadedRules& rules = runtime.rules();
  const std::optional<uint32_t> cid = st.find_connector_id(connector.name);
  std::optional<store::CsObject> object;
  if (cid) object = store::ConnectorSpace(st, *cid).get(anchor);
  if (!object)
    throw TraceError("connector " + connector.name + " has no object with anchor \"" + anchor +
                     "\" (idsync cs search lists its objects)");

  ObjectTrace trace;
  trace.connector = connector.name;
  trace.object = store::as_shown(*object, store::ProgressRecords(st, *cid).synced_once());
  trace.secrets = store::read_secret_attributes(st, *cid);
  std::map<uint32_t, std::string> names;
  for (const auto& c : runtime.manifest().connectors)
    if (auto id = st.find_connector_id(c.name)) names[*id] = c.name;

  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const expr::TimePoint now{std::chrono::microseconds(now_ms * 1000)};

  // Why, evaluated on the store as it is: the inbound rules' scoping, and the join.
  const sync::RuleCatalog catalog(rules.rules, st, rules.functions.get());
  const auto inbound = catalog.inbound(connector.name, object->object_type);
  sync::Membership membership(st, sync::uses_membership(rules.rules));
  const sync::CsContext cs_ctx(*object, now, membership.of(*cid, *object));
  const auto scoped = sync::in_scope_rules(inbound, cs_ctx);
  for (const sync::CompiledRule* r : inbound)
    trace.inbound_rules.push_back(verdict(*r, contains(scoped, r)));
  trace.mv_before = store::Links(st).mv_of(*cid, anchor);
  std::optional<sync::ObjectJoin> join;
  if (!trace.mv_before && object->pending != store::PendingChange::remove && !scoped.empty()) {
    sync::BatchOverlay overlay(st, catalog.join_attributes());  // read only: never flushed
    join = sync::find_join(scoped, *object, overlay);
  }

  // What, from the engine itself, on a copy.
  ScratchCopy copy(st);
  store::Store& scratch = copy.store();
  clear_outbound_marks(scratch);
  sync::InboundOptions in_options;
  in_options.kind = sync::SyncKind::full;
  in_options.functions = rules.functions.get();
  in_options.now_unix_ms = now_ms;
  in_options.deprovisioning =
      connector.deprovisioning == manifest::Deprovisioning::kMakeDisconnector
          ? sync::Deprovisioning::make_disconnector
          : sync::Deprovisioning::delete_mv_when_last_authoritative_source_goes;
  const sync::InboundResult in =
      sync::InboundSync(scratch, rules.rules, connector.name, in_options).run_one(anchor);
  sync::OutboundOptions out_options;
  out_options.functions = rules.functions.get();
  out_options.now_unix_ms = now_ms;
  const sync::OutboundResult out = sync::OutboundSync(scratch, rules.rules, out_options).run();
  for (const auto& e : in.join_error_list) trace.errors.push_back(e.message);
  for (const auto& e : in.error_list) trace.errors.push_back(e.message);
  for (const auto& e : out.error_list) trace.errors.push_back(e.anchor + ": " + e.message);
  trace.mv_after = store::Links(scratch).mv_of(*cid, anchor);

  const std::optional<uint64_t> mv_id = trace.mv_after ? trace.mv_after : trace.mv_before;
  std::optional<store::MvObject> before, after;
  if (mv_id) {
    before = store::MetaverseStore(st).get(*mv_id);
    after = store::MetaverseStore(scratch).get(*mv_id);
    if (after || before) trace.mv_object_type = (after ? after : before)->object_type;
    trace.mv_deleted = before && !before->deleted && (!after || after->deleted);
  }

  if (in.join_errors > 0) {
    trace.outcome = JoinOutcome::join_error;
    trace.explanation = in.join_error_list.empty() ? "join error" : in.join_error_list[0].message;
  } else if (in.errors > 0) {
    trace.outcome = JoinOutcome::error;
    trace.explanation = "the object could not be synced: " +
                        (in.error_list.empty() ? std::string("error") : in.error_list[0].message);
  } else if (trace.mv_before && trace.mv_after == trace.mv_before) {
    trace.outcome = JoinOutcome::stays_joined;
    trace.explanation = "joined to MV object " + std::to_string(*trace.mv_before) + "; values flow";
  } else if (trace.mv_before && !trace.mv_after) {
    trace.outcome = JoinOutcome::disconnected;
    trace.explanation = object->pending == store::PendingChange::remove
                            ? "deleted in the connected system: disconnected from MV object "
                            : "no inbound rule is in scope any more: disconnected from MV object ";
    trace.explanation += std::to_string(*trace.mv_before);
    if (trace.mv_deleted)
      trace.explanation += ", which is deleted: no other linked connector provisions it";
  } else if (trace.mv_after && before) {
    trace.outcome = JoinOutcome::joined;
    trace.explanation = "joins MV object " + std::to_string(*trace.mv_after);
    if (join && join->rule && join->decision.group_index)
      trace.explanation += " by " + join_group_text(*join->rule, *join->decision.group_index);
  } else if (trace.mv_after) {
    trace.outcome = JoinOutcome::projected;
    std::string provision;
    for (const sync::CompiledRule* r : scoped)
      if (r->rule->link_type == sync_rules::LinkType::kProvision) {
        provision = r->rule->name;
        break;
      }
    trace.explanation = "no join group found a match; projected as new MV object " +
                        std::to_string(*trace.mv_after) + " by Provision rule \"" + provision +
                        "\"";
  } else {
    trace.outcome = JoinOutcome::not_joined;
    if (object->pending == store::PendingChange::remove)
      trace.explanation = "deleted in the connected system, and never joined: nothing to do";
    else if (st.get(store::Family::cs_disconnector, store::connector_key(*cid, anchor)))
      trace.explanation =
          "an explicit disconnector (a rule's deprovisioning left it): join rules leave it alone";
    else if (scoped.empty())
      trace.explanation = "no inbound rule for its type is in scope: it stays a disconnector";
    else
      trace.explanation =
          "no join group found a match and no Provision rule is in scope: it stays a "
          "disconnector";
  }

  trace.attributes = attribute_traces(before ? &*before : nullptr,
                                      after && !after->deleted ? &*after : nullptr, names);

  if (after && !after->deleted) {
    const sync::OutboundCatalog targets(rules.rules, scratch, rules.functions.get());
    const sync::MvContext mv_ctx(*after, now);
    for (const sync::OutboundTarget& t : targets.targets(after->object_type)) {
      const auto in_scope = sync::outbound_in_scope(t.rules, mv_ctx);
      for (const sync::CompiledRule* r : t.rules)
        trace.outbound_rules.push_back(verdict(*r, contains(in_scope, r)));
    }
  }

  if (mv_id) {
    std::set<std::pair<uint32_t, std::string>> linked;
    for (const auto& l : store::Links(st).links_of(*mv_id))
      linked.emplace(l.connector_id, l.anchor);
    for (const auto& l : store::Links(scratch).links_of(*mv_id))
      linked.emplace(l.connector_id, l.anchor);
    for (const auto& [connector_id, linked_anchor] : linked) {
      auto was = store::PendingExports(st, connector_id).get(linked_anchor);
      auto will = store::PendingExports(scratch, connector_id).get(linked_anchor);
      if (same_export(was, will)) continue;
      auto it = names.find(connector_id);
      if (it == names.end())  // a target the trace's copy gave its first id
        for (const auto& c : runtime.manifest().connectors)
          if (scratch.find_connector_id(c.name) == connector_id)
            it = names.emplace(connector_id, c.name).first;
      trace.exports.push_back(ExportTrace{
          it != names.end() ? it->second : "#" + std::to_string(connector_id), linked_anchor,
          std::move(was), std::move(will), store::read_secret_attributes(st, connector_id)});
    }
  }
  return trace;
}

}  // namespace idsync::runtime
