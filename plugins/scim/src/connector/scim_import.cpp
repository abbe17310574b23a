#include "connector/scim_import.hpp"

#include <algorithm>
#include <unordered_set>

#include "connector/import_state.hpp"
#include "connector/scim_failure.hpp"
#include "model/filter_text.hpp"
#include "model/json_access.hpp"
#include "model/resource_values.hpp"
#include "model/rfc3339.hpp"

namespace idsync::scim {

namespace {

// The service's time of an answer, else ours.
Instant service_time(const http::HttpResponse& response) {
  if (const auto date = response.header("Date"))
    if (const auto instant = parse_http_date(*date)) return *instant;
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

int64_t page_count(const Discovery& discovery, const Options& options,
                   const sdk::ImportRequest& request) {
  int64_t count = std::max<int64_t>(1, std::min<int64_t>(options.page_size, request.page_size));
  if (discovery.features.filter_max_results > 0)
    count = std::min(count, discovery.features.filter_max_results);
  return count;
}

void push_resource(sdk::ImportWriter& out, const ResourceModel& model,
                   const boost::json::object& resource, const std::string& id,
                   const std::string& source) {
  out.begin(IDSYNC_CHANGE_STATE, model.type.name, id, {}, source);
  for (const FlatAttribute& a : model.attributes) {
    if (a.flags & IDSYNC_ATTRINFO_SECRET) continue;
    const std::vector<std::string> values = read_values(resource, a);
    if (!values.empty()) out.attr(a.name, values, a.value_type);
  }
  out.end();
}

struct ImportRun {
  ScimClient& client;
  const Discovery& discovery;
  const Options& options;
  sdk::ImportWriter& out;
  const sdk::Diag& diag;
  int64_t count;
  const Watermark* base = nullptr;  // delta: where it starts from

  // Reads `model`'s pages from the checkpoint on, committing each.
  void read_type(const ResourceModel& model, ImportCheckpoint& cp) {
    std::string filter;
    if (base) {
      const auto since = base->since.find(model.type.name);
      const auto instant = since == base->since.end() ? std::nullopt : parse_rfc3339(since->second);
      if (!instant)
        throw sdk::Error(
            IDSYNC_ERR_PRECONDITION,
            "the watermark has no time for object type " + model.type.name + ": run a full import",
            IDSYNC_ERROR);
      filter = modified_since_filter(
          format_rfc3339(*instant - std::chrono::seconds(options.delta_overlap_seconds)));
    }
    std::unordered_set<std::string> pushed(cp.last_ids.begin(), cp.last_ids.end());
    for (;;) {
      out.throw_if_cancelled();
      const std::string path = model.type.endpoint + list_query(cp.next, count, filter);
      const http::HttpResponse response = client.get(path);
      if (response.status != 200) throw read_failure(response, "reading " + model.type.endpoint);
      const auto body = parse_json(response.body);
      const auto* resources = body ? member(*body, "Resources") : nullptr;
      const int64_t total = body ? int_member(*body, "totalResults").value_or(0) : -1;
      if (!body || total < 0)
        throw sdk::Error(IDSYNC_ERR_CONNECTION,
                         "reading " + model.type.endpoint + ": the answer is not a ListResponse",
                         IDSYNC_RETRY);
      if (cp.next == 1 && cp.total < 0)
        cp.watermark.since[model.type.name] = format_rfc3339(service_time(response));
      if (cp.total >= 0 && total != cp.total && !base) {
        if (cp.complete)
          diag.warn(model.type.name + ": the service's list changed while it was read (" +
                    std::to_string(cp.total) + " then " + std::to_string(total) +
                    " resources); this full import stages no deletes");
        cp.complete = false;
      }
      cp.total = total;

      std::vector<std::string> page_ids;
      int64_t returned = 0;
      if (resources && resources->is_array()) {
        for (const auto& r : resources->get_array()) {
          ++returned;
          const auto id = string_member(r, "id");
          if (!r.is_object() || !id || id->empty()) continue;
          page_ids.push_back(*id);
          if (!pushed.insert(*id).second) continue;  // moved here from the previous page
          push_resource(out, model, r.get_object(), *id,
                        model.type.endpoint + " startIndex " + std::to_string(cp.next));
        }
      }
      cp.next += returned;
      cp.last_ids = page_ids;
      pushed = std::unordered_set<std::string>(page_ids.begin(), page_ids.end());
      const bool done = returned == 0 || cp.next > total;
      if (done) return;
      out.page(cp.encode());
    }
  }

  void run(const sdk::ImportRequest& request) {
    ImportCheckpoint cp;
    size_t first = 0;
    if (!request.checkpoint.empty()) {
      cp = ImportCheckpoint::decode(request.checkpoint);
      const auto at = std::find_if(discovery.models.begin(), discovery.models.end(),
                                   [&](const ResourceModel& m) { return m.type.name == cp.type; });
      if (at == discovery.models.end())
        throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                         "the import checkpoint names object type " + cp.type +
                             ", which the connector no longer reads: start the import over",
                         IDSYNC_ERROR);
      first = static_cast<size_t>(at - discovery.models.begin());
    }
    for (size_t i = first; i < discovery.models.size(); ++i) {
      const ResourceModel& model = discovery.models[i];
      if (i != first || request.checkpoint.empty()) {
        cp.type = model.type.name;
        cp.next = 1;
        cp.total = -1;
        cp.last_ids.clear();
      }
      read_type(model, cp);
      // The type is done: the next commit starts the next type from its first page.
      if (i + 1 < discovery.models.size()) {
        ImportCheckpoint next = cp;
        next.type = discovery.models[i + 1].type.name;
        next.next = 1;
        next.total = -1;
        next.last_ids.clear();
        out.page(next.encode());
        cp = next;
      }
    }
    out.finish(cp.complete, cp.watermark.encode());
  }
};

}  // namespace

void run_full_import(ScimClient& client, const Discovery& discovery, const Options& options,
                     const sdk::ImportRequest& request, sdk::ImportWriter& out,
                     const sdk::Diag& diag) {
  ImportRun run{client, discovery, options, out, diag, page_count(discovery, options, request)};
  run.run(request);
}

void run_delta_import(ScimClient& client, const Discovery& discovery, const Options& options,
                      const sdk::ImportRequest& request, sdk::ImportWriter& out,
                      const sdk::Diag& diag) {
  if (!discovery.modified_filter)
    throw sdk::Error(IDSYNC_ERR_NONE,
                     "the service at " + client.base_url() +
                         " cannot filter on meta.lastModified, so there is no delta import",
                     IDSYNC_UNSUPPORTED);
  const Watermark base = Watermark::decode(request.watermark);
  diag.info("delta import by lastModified filter (deletes are found by the next full import)");
  ImportRun run{client, discovery, options, out, diag, page_count(discovery, options, request)};
  run.base = &base;
  run.run(request);
}

std::string current_watermark(ScimClient& client, const Discovery& discovery) {
  const http::HttpResponse response = client.get("/ServiceProviderConfig");
  if (response.status != 200) throw read_failure(response, "reading /ServiceProviderConfig");
  Watermark w;
  const std::string now = format_rfc3339(service_time(response));
  for (const ResourceModel& m : discovery.models) w.since[m.type.name] = now;
  return w.encode();
}

}  // namespace idsync::scim
