#include "store/run_history.hpp"

#include <boost/json.hpp>
#include <memory>

#include "store/codec.hpp"

namespace idsync::store {

namespace json = boost::json;

namespace {

std::string run_key(uint64_t id) {
  std::string key;
  Encoder(key).u64be(id);
  return key;
}

}  // namespace

json::object counters_to_json(const ImportCounters& c) {
  return json::object{{"objects", c.objects},
                      {"adds", c.adds},
                      {"updates", c.updates},
                      {"renames", c.renames},
                      {"deletes", c.deletes},
                      {"unchanged", c.unchanged},
                      {"pages", c.pages},
                      {"projections", c.projections},
                      {"joins", c.joins},
                      {"disconnectors", c.disconnectors},
                      {"flow_updates", c.flow_updates},
                      {"errors", c.errors},
                      {"export_adds", c.export_adds},
                      {"export_updates", c.export_updates},
                      {"export_deletes", c.export_deletes},
                      {"not_reimported", c.not_reimported}};
}

ImportCounters counters_from_json(const json::object& o) {
  ImportCounters c;
  auto get = [&](const char* k) { return o.contains(k) ? o.at(k).to_number<uint64_t>() : 0; };
  c.objects = get("objects");
  c.adds = get("adds");
  c.updates = get("updates");
  c.renames = get("renames");
  c.deletes = get("deletes");
  c.unchanged = get("unchanged");
  c.pages = get("pages");
  // Records written before sync steps existed lack these; they read as 0.
  c.projections = get("projections");
  c.joins = get("joins");
  c.disconnectors = get("disconnectors");
  c.flow_updates = get("flow_updates");
  c.errors = get("errors");
  c.export_adds = get("export_adds");
  c.export_updates = get("export_updates");
  c.export_deletes = get("export_deletes");
  c.not_reimported = get("not_reimported");
  return c;
}

uint64_t RunHistory::append(RunRecord r) {
  // The newest key + 1; the history is short (purged by maintenance), so one seek is cheap.
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db().NewIterator(rocksdb::ReadOptions(), store_.family(Family::runs)));
  it->SeekToLast();
  r.id =
      it->Valid() ? Decoder(std::string_view(it->key().data(), it->key().size())).u64be() + 1 : 1;
  json::object o{{"connector", r.connector},
                 {"profile", r.profile},
                 {"step", r.step},
                 {"status", r.status},
                 {"started_ms", r.started_unix_ms},
                 {"ended_ms", r.ended_unix_ms},
                 {"counters", counters_to_json(r.counters)},
                 {"message", r.message}};
  if (!r.reason.empty()) o["reason"] = r.reason;
  if (!r.object_issues.empty()) {
    json::array issues;
    for (std::size_t i = 0; i < r.object_issues.size() && i < kMaxListedIssues; ++i) {
      const ObjectIssue& x = r.object_issues[i];
      issues.push_back(
          json::object{{"anchor", x.anchor}, {"kind", x.kind}, {"message", x.message}});
    }
    o["object_issues"] = std::move(issues);
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_.family(Family::runs), run_key(r.id), json::serialize(o));
  store_.write(batch);
  return r.id;
}

uint64_t RunHistory::purge_ended_before(int64_t unix_ms) {
  // A record is appended when its step ends, so id order is end order (up to clock steps):
  // the walk stops at the first record that ended at or after the cutoff.
  // The newest record stays whatever its age: the next id is counted from it.
  constexpr uint64_t kBatch = 1000;
  uint64_t purged = 0;
  for (;;) {
    rocksdb::WriteBatch batch;
    uint64_t in_batch = 0;
    bool done = true;
    {
      std::unique_ptr<rocksdb::Iterator> it(
          store_.db().NewIterator(rocksdb::ReadOptions(), store_.family(Family::runs)));
      it->SeekToLast();
      if (!it->Valid()) return purged;
      const std::string newest = it->key().ToString();
      for (it->SeekToFirst(); it->Valid() && it->key() != rocksdb::Slice(newest); it->Next()) {
        const json::object o =
            json::parse(std::string_view(it->value().data(), it->value().size())).as_object();
        if (o.at("ended_ms").to_number<int64_t>() >= unix_ms) break;
        batch.Delete(store_.family(Family::runs), it->key());
        if (++in_batch == kBatch) {
          done = false;
          break;
        }
      }
    }
    if (in_batch > 0) store_.write(batch);
    purged += in_batch;
    if (done) return purged;
  }
}

void RunHistory::for_each_newest_first(const std::function<bool(const RunRecord&)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db().NewIterator(rocksdb::ReadOptions(), store_.family(Family::runs)));
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    RunRecord r;
    r.id = Decoder(std::string_view(it->key().data(), it->key().size())).u64be();
    const json::object o =
        json::parse(std::string_view(it->value().data(), it->value().size())).as_object();
    r.connector = o.at("connector").as_string().c_str();
    r.profile = o.at("profile").as_string().c_str();
    r.step = o.at("step").as_string().c_str();
    r.status = o.at("status").as_string().c_str();
    r.started_unix_ms = o.at("started_ms").to_number<int64_t>();
    r.ended_unix_ms = o.at("ended_ms").to_number<int64_t>();
    r.counters = counters_from_json(o.at("counters").as_object());
    r.message = o.at("message").as_string().c_str();
    if (const json::value* reason = o.if_contains("reason")) r.reason = reason->as_string().c_str();
    if (const json::value* issues = o.if_contains("object_issues"))
      for (const json::value& v : issues->as_array()) {
        const json::object& x = v.as_object();
        r.object_issues.push_back({x.at("anchor").as_string().c_str(),
                                   x.at("kind").as_string().c_str(),
                                   x.at("message").as_string().c_str()});
      }
    if (!visit(r)) return;
  }
}

}  // namespace idsync::store
