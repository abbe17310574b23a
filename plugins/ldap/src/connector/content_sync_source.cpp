#include "content_sync_source.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "ldap_error.hpp"
#include "paged_search.hpp"
#include "watermark.hpp"

namespace idsync::ldap {

namespace {

constexpr const char* kKind = "rfc4533";
// A filter nothing matches: a refresh with it costs the server an index lookup and still ends
// with a syncDone carrying the cookie of "now".
constexpr const char* kMatchNothing = "(entryUUID=00000000-0000-0000-0000-000000000000)";
// The checkpoint of every page of a delta import: it resumes from the original watermark.
constexpr const char* kRestartCheckpoint = R"({"kind":"rfc4533","resume":"from the watermark"})";

sdk::Error full_import_required(const std::string& why) {
  return sdk::Error(IDSYNC_ERR_PRECONDITION, why + "; a full import is required");
}

// An OpenLDAP change sequence number: 20261122061801.251502Z#000000#000#000000.
bool is_csn(std::string_view csn) {
  static constexpr std::string_view kShape = "dddddddddddddd.ddddddZ#xxxxxx#xxx#xxxxxx";
  if (csn.size() != kShape.size()) return false;
  for (size_t i = 0; i < csn.size(); ++i) {
    const auto c = static_cast<unsigned char>(csn[i]);
    const bool ok = kShape[i] == 'd'   ? std::isdigit(c) != 0
                    : kShape[i] == 'x' ? std::isxdigit(c) != 0
                                       : csn[i] == kShape[i];
    if (!ok) return false;
  }
  return true;
}

// Cookies are opaque, but OpenLDAP reads one whose csn= it cannot parse as "no cookie" and
// answers with the whole content and no deletions: such a cookie is refused here. Other
// servers' cookies, without csn=, pass.
bool plausible_cookie(std::string_view cookie) {
  size_t at = 0;
  while (at <= cookie.size()) {
    const size_t end = std::min(cookie.find(',', at), cookie.size());
    const std::string_view field = cookie.substr(at, end - at);
    if (field.substr(0, 4) == "csn=") {
      std::string_view csns = field.substr(4);
      // Several servers' CSNs are separated by ';'.
      for (size_t from = 0; from <= csns.size();) {
        const size_t stop = std::min(csns.find(';', from), csns.size());
        if (!is_csn(csns.substr(from, stop - from))) return false;
        from = stop + 1;
      }
    }
    at = end + 1;
  }
  return true;
}

// One delta import: the refreshes of the partitions, what they reported, the pages.
class DeltaRun {
 public:
  DeltaRun(ContentSyncSource& source, DirectorySession& session, KnownAnchors& known,
           const sdk::ImportRequest& request, sdk::ImportWriter& out)
      : source_(source), session_(session), known_(known), request_(request), out_(out) {
    // As the full import: the host's suggestion, but no more than config.page_size.
    page_size_ =
        std::max<uint32_t>(1, std::min<uint32_t>(request.page_size ? request.page_size : 1000,
                                                 session.options().page_size));
  }

  void run() {
    const auto& partitions = session_.partitions();
    if (!request_.checkpoint.empty() && request_.checkpoint != kRestartCheckpoint)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the delta import's checkpoint is not one this connector wrote; the "
                       "import starts over");
    const Watermark from = Watermark::decode(request_.watermark, kKind, partitions);
    for (const auto& partition : partitions) {
      if (from.token(partition).empty())
        throw full_import_required(
            "the watermark was taken while the server offered no RFC 4533 content sync for \"" +
            partition + "\" (OpenLDAP: load the syncprov overlay on its database)");
      if (!plausible_cookie(from.token(partition)))
        throw full_import_required("the watermark's content-sync cookie for \"" + partition +
                                   "\" is not one the server handed out");
    }

    // Ask first with a filter that matches nothing: a cookie the server refuses fails here,
    // before anything is pushed, and a partition without changes needs no second search.
    std::vector<bool> changed(partitions.size(), false);
    for (size_t i = 0; i < partitions.size(); ++i) {
      const SyncDoneValue probe =
          source_.refresh(partitions[i], from.token(partitions[i]), kMatchNothing, {"1.1"}, {});
      if (probe.cookie && probe.cookie->empty())
        throw full_import_required("the server did not accept the watermark's cookie for \"" +
                                   partitions[i] + "\"");
      changed[i] = probe.cookie.has_value();
      if (changed[i] && !probe.refresh_deletes) load_known();  // a present phase is coming
    }
    if (std::find(changed.begin(), changed.end(), true) == changed.end()) {
      out_.finish(true, request_.watermark);
      return;
    }
    // The host committed this watermark (it is where the import starts), so the state kept for
    // older ones can go.
    known_.compact(request_.watermark);

    Watermark to = from;
    std::vector<bool> present_phase(partitions.size(), false);
    const std::string filter = session_.class_filter();
    const std::vector<std::string>& attributes = session_.schema().requested_attributes();
    for (size_t i = 0; i < partitions.size(); ++i) {
      if (!changed[i]) continue;
      partition_ = partitions[i];
      present_phase_ = false;
      const SyncDoneValue done = source_.refresh(
          partition_, from.token(partition_), filter, attributes,
          {[&](Entry&& entry, const std::vector<Control>& controls) { on_entry(entry, controls); },
           [&](const std::string& oid, const std::string& value) { on_info(oid, value); },
           [&] { return out_.cancelled(); }});
      if (done.cookie && done.cookie->empty())
        throw full_import_required("the server ended the refresh of \"" + partition_ +
                                   "\" with an empty cookie");
      if (!done.refresh_deletes) enter_present_phase();
      present_phase[i] = present_phase_;
      if (done.cookie) to.set_token(partition_, *done.cookie);
    }
    if (std::find(present_phase.begin(), present_phase.end(), true) != present_phase.end()) {
      // The known anchors of other partitions were not listed by this present phase: list
      // those partitions too, so that only what is really gone is deleted.
      for (size_t i = 0; i < partitions.size(); ++i)
        if (!present_phase[i]) list_present(partitions[i]);
      delete_not_present();
    }
    const std::string watermark = to.encode();
    known_.record_delta(request_.watermark, watermark, page_added_, deleted_);
    out_.finish(true, watermark);
  }

 private:
  void on_entry(Entry& entry, const std::vector<Control>& controls) {
    const Control* control = nullptr;
    for (const auto& c : controls)
      if (c.oid == kSyncStateOid) control = &c;
    if (!control)
      throw sdk::Error(IDSYNC_ERR_PRECONDITION, "the server sent \"" + entry.dn +
                                                    "\" in a content-sync refresh without its "
                                                    "syncState control");
    SyncStateValue state;
    try {
      state = decode_sync_state(control->value);
    } catch (const std::invalid_argument& e) {
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the server's syncState control of \"" + entry.dn + "\": " + e.what());
    }
    switch (state.state) {
      case SyncState::present:
        enter_present_phase();
        mark_present(state.uuid);
        return;
      case SyncState::remove:
        push_delete(state.uuid, entry.dn);
        return;
      case SyncState::add:
      case SyncState::modify:
        push_changed(entry, state.uuid);
        return;
    }
  }

  void on_info(const std::string& oid, const std::string& value) {
    if (oid != kSyncInfoOid) return;
    SyncInfoValue info;
    try {
      info = decode_sync_info(value);
    } catch (const std::invalid_argument& e) {
      throw sdk::Error(IDSYNC_ERR_PRECONDITION, std::string("the server's syncInfo message in "
                                                            "the refresh of \"") +
                                                    partition_ + "\": " + e.what());
    }
    using Kind = SyncInfoValue::Kind;
    if (info.kind == Kind::refresh_present) enter_present_phase();
    if (info.kind != Kind::id_set) return;  // cookies on the way are not confirmed yet
    if (info.refresh_deletes) {
      for (const Uuid& uuid : info.uuids) push_delete(uuid, "syncIdSet of \"" + partition_ + "\"");
    } else {
      enter_present_phase();
      for (const Uuid& uuid : info.uuids) mark_present(uuid);
    }
  }

  // An added or changed entry, complete: a STATE record when it is in scope and of a selected
  // class, else a DELETE (it may have been moved out of scope; the host ignores a DELETE of an
  // anchor it never had).
  void push_changed(Entry& entry, const Uuid& uuid) {
    mark_present(uuid);
    const ObjectMapper& mapper = session_.mapper();
    const ObjectTypeSchema* type = mapper.object_type(entry);
    if (!type || !session_.scope().contains(entry.dn)) {
      push_delete(uuid, entry.dn);
      return;
    }
    const std::string anchor = mapper.anchor(entry);
    if (anchor.empty()) {
      // As the full import does: without a readable entryUUID there is no object to stage.
      if (session_.diag())
        session_.diag()->warn("\"" + entry.dn + "\" has no readable entryUUID; skipped");
      return;
    }
    mapper.complete_ranges(session_.connection(), entry);
    mapper.write_state(entry, *type, anchor, out_);
    page_added_.push_back(uuid);
    pushed_.push_back(uuid);
    count_record();
  }

  void push_delete(const Uuid& uuid, const std::string& source) {
    out_.begin(IDSYNC_CHANGE_DELETE, {}, uuid_to_text(uuid), {}, source);
    out_.end();
    deleted_.push_back(uuid);
    pushed_.push_back(uuid);
    mark_present(uuid);  // dealt with: the present phase must not delete it again
    count_record();
  }

  void count_record() {
    if (++in_page_ < page_size_) return;
    // What this page adds may stay in the host even if the import never ends: remember it
    // before the host commits it.
    known_.record_adds(request_.watermark, page_added_);
    page_added_.clear();
    out_.page(kRestartCheckpoint);
    in_page_ = 0;
  }

  void enter_present_phase() {
    present_phase_ = true;
    load_known();
  }

  // The anchors the host holds at the watermark, loaded once, when a present phase needs them.
  void load_known() {
    if (known_set_) return;
    auto set = known_.at(request_.watermark);
    if (!set)
      throw full_import_required(
          "the server answered with a present phase (it keeps no session log that covers the "
          "watermark), and the connector does not know which objects it delivered up to that "
          "watermark (there was no full import since its state folder began)");
    known_set_ = std::move(*set);
    seen_.assign(known_set_->size(), false);
    for (const Uuid& uuid : pushed_) mark_present(uuid);
  }

  void mark_present(const Uuid& uuid) {
    if (!known_set_) return;
    auto it = std::lower_bound(known_set_->begin(), known_set_->end(), uuid);
    if (it != known_set_->end() && *it == uuid) seen_[it - known_set_->begin()] = true;
  }

  // A partition whose refresh had no present phase: its entries, by entryUUID only, in pages
  // (an account's size limit applies to one search).
  void list_present(const std::string& partition) {
    const SearchRequest request{
        partition, LDAP_SCOPE_SUBTREE, session_.class_filter(), {"entryUUID"}, {}, 0};
    std::string cookie;
    do {
      std::vector<Entry> entries;
      const OperationResult result = search_page(session_.connection(), request, page_size_, cookie,
                                                 entries, [&] { return out_.cancelled(); });
      if (!result.ok())
        throw_ldap(result.code, "paged search of \"" + partition + "\"", result.message);
      for (const Entry& entry : entries)
        if (auto uuid = uuid_from_text(entry.first("entryUUID"))) mark_present(*uuid);
    } while (!cookie.empty());
  }

  void delete_not_present() {
    for (size_t i = 0; i < known_set_->size(); ++i) {
      if (seen_[i]) continue;
      seen_[i] = true;
      out_.throw_if_cancelled();
      out_.begin(IDSYNC_CHANGE_DELETE, {}, uuid_to_text((*known_set_)[i]), {},
                 "not present in the content-sync refresh");
      out_.end();
      deleted_.push_back((*known_set_)[i]);
      count_record();
    }
  }

  ContentSyncSource& source_;
  DirectorySession& session_;
  KnownAnchors& known_;
  const sdk::ImportRequest& request_;
  sdk::ImportWriter& out_;
  uint32_t page_size_ = 1000;
  uint32_t in_page_ = 0;
  std::string partition_;         // the partition being refreshed, for messages
  bool present_phase_ = false;    // the current partition's refresh has a present phase
  std::vector<Uuid> page_added_;  // anchors of STATE records since the last adds record
  std::vector<Uuid> deleted_;     // anchors of every DELETE record
  std::vector<Uuid> pushed_;      // anchors of every record, for a present phase found late
  std::optional<std::vector<Uuid>> known_set_;
  std::vector<bool> seen_;  // per known anchor: listed present, or already pushed
};

}  // namespace

ContentSyncSource::ContentSyncSource(DirectorySession& session, const std::string& state_dir)
    : session_(session),
      known_(state_dir.empty() ? std::string()
                               : (std::filesystem::path(state_dir) / "content-sync").string()) {}

SyncDoneValue ContentSyncSource::refresh(const std::string& partition, const std::string& cookie,
                                         const std::string& filter,
                                         const std::vector<std::string>& attributes,
                                         const SearchHandlers& handlers) {
  Connection& connection = session_.connection();
  const SearchRequest request{
      partition,
      LDAP_SCOPE_SUBTREE,
      filter,
      attributes,
      {Control{kSyncRequestOid, encode_sync_request_refresh_only(cookie), true, true}},
      0};
  const OperationResult result = connection.search(request, handlers);
  const std::string what = "content-sync refresh of \"" + partition + "\"";
  if (result.code == kSyncRefreshRequired)
    throw full_import_required(what +
                               ": the server can no longer resume from the watermark "
                               "(e-syncRefreshRequired)" +
                               (result.message.empty() ? "" : ": " + result.message));
  if (result.code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION)
    throw sdk::Error(IDSYNC_ERR_CONFIG,
                     describe(result.code, what, result.message) +
                         ". The server does not offer RFC 4533 content sync on this partition "
                         "(OpenLDAP: load the syncprov overlay on its database)");
  if (!result.ok()) {
    const Classified c = classify(result.code);
    const bool refused = c.kind != IDSYNC_ERR_CONNECTION && c.kind != IDSYNC_ERR_TIMEOUT &&
                         result.code != LDAP_INSUFFICIENT_ACCESS;
    // A server that refuses to resume from a cookie it accepts in general (slapd: "consumer
    // state is newer than provider") refuses the watermark.
    if (refused && !cookie.empty())
      throw full_import_required(
          describe(result.code, what + " refused the watermark's cookie", result.message));
    throw_ldap(result.code, what, result.message);
  }
  const Control* done = result.control(kSyncDoneOid);
  if (!done)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     what +
                         " ended without a syncDone control: the server does not implement "
                         "RFC 4533 content sync as this connector needs");
  try {
    return decode_sync_done(done->value);
  } catch (const std::invalid_argument& e) {
    throw sdk::Error(IDSYNC_ERR_PRECONDITION, what + ": " + e.what());
  }
}

std::string ContentSyncSource::current_watermark() {
  Watermark w;
  w.kind = kKind;
  if (!session_.info().supports(kSyncRequestOid)) {
    // Full imports still work; a delta import from this watermark (no cookies) asks for a full
    // import instead, and says why.
    if (session_.diag())
      session_.diag()->warn(
          "the server does not offer RFC 4533 content sync (OpenLDAP: load the syncprov "
          "overlay on the database): delta imports will ask for full imports");
    for (const auto& partition : session_.partitions()) w.set_token(partition, {});
    return w.encode();
  }
  for (const auto& partition : session_.partitions()) {
    const SyncDoneValue done = refresh(partition, {}, kMatchNothing, {"1.1"}, {});
    if (!done.cookie || done.cookie->empty())
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the server handed out no content-sync cookie "
                       "for \"" +
                           partition + "\"");
    w.set_token(partition, *done.cookie);
  }
  return w.encode();
}

void ContentSyncSource::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  DeltaRun(*this, session_, known_, request, out).run();
}

void ContentSyncSource::full_import_page(const std::string& watermark,
                                         const std::vector<std::string>& page_anchors,
                                         uint64_t anchors_before) {
  if (!known_.enabled()) return;
  std::vector<Uuid> uuids;
  uuids.reserve(page_anchors.size());
  for (const auto& anchor : page_anchors) {
    auto uuid = uuid_from_text(anchor);
    if (!uuid)
      throw sdk::Error(IDSYNC_ERR_INVALID_VALUE,
                       "the entryUUID \"" + anchor +
                           "\" is not a UUID (RFC 4530); this directory cannot be synchronised");
    uuids.push_back(*uuid);
  }
  known_.full_import_page(watermark, uuids, anchors_before);
}

void ContentSyncSource::full_import_finished(const std::string& watermark, uint64_t anchors) {
  if (!known_.full_import_finished(watermark, anchors) && session_.diag())
    session_.diag()->warn(
        "the connector's record of the imported objects is incomplete (its state folder changed "
        "during the full import); a delta import that needs it will ask for a full import");
}

}  // namespace idsync::ldap
