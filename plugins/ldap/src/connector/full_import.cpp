#include "full_import.hpp"

#include <boost/json.hpp>

#include "ldap_error.hpp"
#include "paged_search.hpp"

namespace idsync::ldap {

namespace json = boost::json;

namespace {

// Where a full import is: the watermark taken at its start, the partition, how many raw entries
// of that partition's search it has passed (and the DN of the last), how many anchors it pushed.
struct Checkpoint {
  std::string watermark;
  size_t partition = 0;
  uint64_t passed = 0;
  std::string last_dn;
  uint64_t anchors = 0;

  std::string encode() const {
    return json::serialize(json::object{{"v", 1},
                                        {"watermark", watermark},
                                        {"partition", partition},
                                        {"passed", passed},
                                        {"last_dn", last_dn},
                                        {"anchors", anchors}});
  }
  static Checkpoint decode(const std::string& text) {
    try {
      const json::object o = json::parse(text).as_object();
      if (o.at("v").to_number<int>() != 1) throw std::invalid_argument("version");
      return Checkpoint{json::value_to<std::string>(o.at("watermark")),
                        o.at("partition").to_number<size_t>(), o.at("passed").to_number<uint64_t>(),
                        json::value_to<std::string>(o.at("last_dn")),
                        o.at("anchors").to_number<uint64_t>()};
    } catch (const std::exception&) {
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the full import's checkpoint is not one this connector wrote; the import "
                       "starts over");
    }
  }
};

class FullImport {
 public:
  FullImport(DirectorySession& session, DeltaSource& delta, const sdk::ImportRequest& request,
             sdk::ImportWriter& out)
      : session_(session), delta_(delta), out_(out) {
    page_size_ =
        std::max<uint32_t>(1, std::min<uint32_t>(request.page_size ? request.page_size : 1000,
                                                 session.options().page_size));
    if (!request.checkpoint.empty()) {
      at_ = Checkpoint::decode(request.checkpoint);
    } else {
      at_.watermark = delta_.current_watermark();
    }
  }

  void run() {
    const auto& partitions = session_.partitions();
    if (at_.partition > partitions.size())
      throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                       "the full import's checkpoint names a partition that is no longer "
                       "configured; the import starts over");
    while (at_.partition < partitions.size()) {
      read_partition(partitions[at_.partition]);
      ++at_.partition;
      at_.passed = 0;
      at_.last_dn.clear();
      if (at_.partition < partitions.size()) out_.page(at_.encode());
      page_dirty_ = false;
    }
    delta_.full_import_finished(at_.watermark, at_.anchors);
    // Scope rules and unreadable entries never skip an object that is in scope, so the host may
    // stage deletes for what it did not see.
    out_.finish(true, at_.watermark);
  }

 private:
  void read_partition(const std::string& partition) {
    for (;;) {
      try {
        return read_partition_once(partition);
      } catch (const sdk::Error& e) {
        // A dropped connection between pages: reconnect and run the search again from the
        // start of the partition, skipping what was already pushed (at_ says how far).
        if (reconnects_left_ == 0 || page_dirty_ ||
            (e.kind() != IDSYNC_ERR_CONNECTION && e.kind() != IDSYNC_ERR_TIMEOUT))
          throw;
        --reconnects_left_;
        if (session_.diag())
          session_.diag()->warn(std::string("connection lost during the full import (") + e.what() +
                                "); reconnecting and resuming");
      }
    }
  }

  // One search of `partition`, skipping the entries at_ says were passed already. Throws on a
  // lost connection with at_ at the last committed page.
  void read_partition_once(const std::string& partition) {
    const uint64_t skip = at_.passed;
    const std::string expected_last = at_.last_dn;
    uint64_t passed = 0;
    std::string cookie;
    const SearchRequest request{partition,
                                LDAP_SCOPE_SUBTREE,
                                session_.class_filter(),
                                session_.schema().whole_read_attributes(),
                                {},
                                0};
    // The next page is requested as soon as this one is read, so that the server prepares it
    // while this one is converted and committed.
    auto pending = std::make_unique<PendingPage>(session_.connection(), request, page_size_, "");
    for (;;) {
      std::vector<Entry> page;
      const OperationResult result =
          pending->receive(page, cookie, [&] { return out_.cancelled(); });
      pending.reset();
      if (result.ok() && !cookie.empty())
        pending = std::make_unique<PendingPage>(session_.connection(), request, page_size_, cookie);
      if (!result.ok())
        throw_ldap(result.code, "paged search of \"" + partition + "\"", result.message);
      std::vector<std::string> anchors;
      for (auto& entry : page) {
        ++passed;
        if (passed <= skip) {
          if (passed == skip && normalize_dn(entry.dn) != normalize_dn(expected_last))
            throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                             "the directory changed the order of its results since the full "
                             "import's checkpoint; the import starts over");
          continue;
        }
        page_dirty_ = true;  // records of this page are in the host's sink, uncommitted
        push(entry, anchors);
      }
      at_.passed = passed;
      if (!page.empty()) at_.last_dn = page.back().dn;
      delta_.full_import_page(at_.watermark, anchors, at_.anchors);
      at_.anchors += anchors.size();
      if (cookie.empty()) return;
      out_.page(at_.encode());
      page_dirty_ = false;
    }
  }

  void push(Entry& entry, std::vector<std::string>& anchors) {
    // The search's base is the partition: without containers to include or exclude, every
    // entry it returns is in scope, and parsing its DN would be wasted.
    if (scoped_ && !session_.scope().contains(entry.dn)) return;
    const ObjectMapper& mapper = session_.mapper();
    const ObjectTypeSchema* type = mapper.object_type(entry);
    if (!type) return;
    std::string anchor = mapper.anchor(entry);
    if (anchor.empty()) {
      if (session_.diag())
        session_.diag()->warn("\"" + entry.dn + "\" has no readable " +
                              session_.options().anchor_attribute() + "; skipped");
      return;
    }
    mapper.complete_ranges(session_.connection(), entry);
    mapper.write_state(entry, *type, anchor, out_);
    anchors.push_back(std::move(anchor));
  }

  DirectorySession& session_;
  DeltaSource& delta_;
  sdk::ImportWriter& out_;
  uint32_t page_size_ = 1000;
  Checkpoint at_;
  int reconnects_left_ = 3;
  const bool scoped_ = !session_.options().include_containers.empty() ||
                       !session_.options().exclude_containers.empty();
  // Set once a page pushed a record: a failure then cannot be resumed inside this call, since
  // the host would commit those records twice.
  bool page_dirty_ = false;
};

}  // namespace

void run_full_import(DirectorySession& session, DeltaSource& delta,
                     const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  FullImport(session, delta, request, out).run();
}

}  // namespace idsync::ldap
