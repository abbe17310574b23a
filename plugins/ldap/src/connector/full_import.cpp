#include "full_import.hpp"

#include <boost/json.hpp>
#include <optional>

#include "ldap_error.hpp"
#include "partition_reader.hpp"
#include "read_ahead.hpp"

namespace idsync::ldap {

namespace json = boost::json;

namespace {

// Pages the reader may have ready beyond the one being pushed: enough that the host rarely waits
// for the directory, few enough that memory holds a handful of pages.
constexpr size_t pages_ahead = 2;

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

  // One search of `partition`, skipping the entries at_ says were passed already. The reader
  // thread reads and maps the pages while this thread pushes the earlier ones; the connection is
  // the reader's until it is joined, so every reconnection happens here. Throws on a lost
  // connection with at_ at the last committed page.
  void read_partition_once(const std::string& partition) {
    // What the reader needs of the session is made here, before it starts: the connection,
    // opened and bound on this thread, and the scope the connection's reference policy uses.
    Connection& connection = session_.connection();
    session_.scope();
    PartitionReader source(
        connection, session_.mapper(), session_.options(),
        PartitionRead{SearchRequest{partition,
                                    LDAP_SCOPE_SUBTREE,
                                    session_.class_filter(),
                                    session_.schema().whole_read_attributes(),
                                    {},
                                    0},
                      page_size_, at_.passed, at_.last_dn, scoped_ ? &session_.scope() : nullptr});
    // Declared after the source, so destroyed (stopped and joined) before it.
    ReadAhead reader(pages_ahead, [&source](ReadAhead::Channel& c) { source.run(c); });
    const auto cancelled = [this] { return out_.cancelled(); };
    while (std::optional<ImportedPage> page = reader.next(cancelled)) {
      if (session_.diag())
        for (const auto& warning : page->warnings) session_.diag()->warn(warning);
      std::vector<std::string> anchors;
      anchors.reserve(page->objects.size());
      for (auto& object : page->objects) {
        page_dirty_ = true;  // records of this page are in the host's sink, uncommitted
        write_object(object, out_);
        anchors.push_back(std::move(object.anchor));
      }
      at_.passed = page->passed;
      if (!page->last_dn.empty()) at_.last_dn = std::move(page->last_dn);
      delta_.full_import_page(at_.watermark, anchors, at_.anchors);
      at_.anchors += anchors.size();
      if (page->last) return;
      out_.page(at_.encode());
      page_dirty_ = false;
    }
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
