#include "usn_source.hpp"

#include <charconv>

#include "guid.hpp"
#include "ldap_error.hpp"
#include "paged_search.hpp"
#include "watermark.hpp"

namespace idsync::ldap {

namespace {

constexpr const char* kKind = "ad.usn";
constexpr const char* kShowDeleted = "1.2.840.113556.1.4.417";

uint64_t parse_usn(const std::string& text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION, "the watermark's USN \"" + text +
                                                  "\" is not a number; a full import is "
                                                  "required");
  return value;
}

}  // namespace

std::pair<std::string, std::string> UsnSource::dc_position() {
  Connection& connection = session_.connection();
  const Entry root = connection.root_dse({"highestCommittedUSN", "dsServiceName"});
  const std::string usn(root.first("highestCommittedUSN"));
  const std::string service(root.first("dsServiceName"));
  if (usn.empty() || service.empty())
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the server publishes no highestCommittedUSN or dsServiceName: it is not an "
                     "Active Directory DC");
  auto settings = connection.read(service, {"invocationId"});
  const std::string raw = settings ? std::string(settings->first("invocationId")) : std::string();
  if (raw.size() != 16)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "cannot read the invocationId of \"" + service + "\"");
  return {guid_to_string(raw), usn};
}

std::string UsnSource::current_watermark() {
  const auto [invocation, usn] = dc_position();
  Watermark w;
  w.kind = kKind;
  w.invocation_id = invocation;
  w.usn = usn;
  for (const auto& partition : session_.partitions()) w.set_token(partition, {});
  return w.encode();
}

void UsnSource::push_changed(const std::string& partition, uint64_t above, sdk::ImportWriter& out,
                             const std::string& checkpoint) {
  const ObjectMapper& mapper = session_.mapper();
  const Scope& scope = session_.scope();
  const SearchRequest request{
      partition,
      LDAP_SCOPE_SUBTREE,
      "(&" + session_.class_filter() + "(uSNChanged>=" + std::to_string(above + 1) + "))",
      session_.schema().whole_read_attributes(),
      {},
      0};
  std::string cookie;
  do {
    std::vector<Entry> page;
    const OperationResult r =
        search_page(session_.connection(), request, session_.options().page_size, cookie, page,
                    [&] { return out.cancelled(); });
    if (!r.ok()) throw_ldap(r.code, "search for changes in \"" + partition + "\"", r.message);
    for (auto& entry : page) {
      const std::string anchor = mapper.anchor(entry);
      if (anchor.empty()) continue;
      const ObjectTypeSchema* type = mapper.object_type(entry);
      if (!type) continue;
      if (!scope.contains(entry.dn)) {
        // Changed and out of scope: it may have been moved out; a delete of an anchor the
        // connector space never had is nothing.
        out.begin(IDSYNC_CHANGE_DELETE, {}, anchor, {}, entry.dn);
        out.end();
        continue;
      }
      mapper.complete_ranges(session_.connection(), entry);
      mapper.write_state(entry, *type, anchor, out);
    }
    out.page(checkpoint);
  } while (!cookie.empty());
}

void UsnSource::push_deleted(const std::string& partition, uint64_t above, sdk::ImportWriter& out,
                             const std::string& checkpoint) {
  const ObjectMapper& mapper = session_.mapper();
  const SearchRequest request{partition,
                              LDAP_SCOPE_SUBTREE,
                              "(&(isDeleted=TRUE)(uSNChanged>=" + std::to_string(above + 1) + "))",
                              {"objectGUID"},
                              {Control{kShowDeleted, {}, true, false}},
                              0};
  std::string cookie;
  do {
    std::vector<Entry> page;
    const OperationResult r =
        search_page(session_.connection(), request, session_.options().page_size, cookie, page,
                    [&] { return out.cancelled(); });
    if (!r.ok())
      throw_ldap(r.code, "search for deleted objects in \"" + partition + "\"", r.message);
    for (const auto& entry : page) {
      const std::string anchor = mapper.anchor(entry);
      if (anchor.empty()) continue;
      out.begin(IDSYNC_CHANGE_DELETE, {}, anchor, {}, entry.dn);
      out.end();
    }
    out.page(checkpoint);
  } while (!cookie.empty());
}

void UsnSource::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  const auto& partitions = session_.partitions();
  // A resumed import starts over from the same watermark: its STATE and DELETE records can be
  // pushed twice without harm.
  const std::string& text = request.checkpoint.empty() ? request.watermark : request.checkpoint;
  const Watermark from = Watermark::decode(text, kKind, partitions);
  const uint64_t above = parse_usn(from.usn);
  const auto [invocation, usn] = dc_position();
  if (invocation != from.invocation_id)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the DC's invocationId is " + invocation + ", the watermark's " +
                         from.invocation_id +
                         ": another DC answered or this one was restored, so its USNs are not "
                         "comparable; a full import is required");
  const std::string checkpoint = from.encode();
  for (const auto& partition : partitions) {
    push_changed(partition, above, out, checkpoint);
    push_deleted(partition, above, out, checkpoint);
  }
  Watermark to = from;
  to.usn = usn;  // read before the searches: what changes during them is seen again next time
  out.finish(true, to.encode());
}

}  // namespace idsync::ldap
