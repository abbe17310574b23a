#include "dirsync_source.hpp"

#include "attribute_description.hpp"
#include "dirsync_control.hpp"
#include "filter_escape.hpp"
#include "guid.hpp"
#include "ldap_error.hpp"
#include "watermark.hpp"

namespace idsync::ldap {

namespace {

constexpr const char* kKind = "ad.dirsync";
// A filter no object matches: enough for the DC to hand out a cookie for "now".
constexpr const char* kMatchNothing = "(objectGUID=\\00)";

bool is_true(std::string_view v) { return v == "TRUE" || v == "true"; }

}  // namespace

uint32_t DirSyncSource::flags() const {
  uint32_t f = kDirSyncIncrementalValues | kDirSyncAncestorsFirstOrder;
  if (session_.options().object_security) f |= kDirSyncObjectSecurity;
  return f;
}

std::vector<Entry> DirSyncSource::search_page(const std::string& partition,
                                              const std::string& filter,
                                              const std::vector<std::string>& attributes,
                                              std::string& cookie, bool& more) {
  Connection& connection = session_.connection();
  SearchRequest request{
      partition,
      LDAP_SCOPE_SUBTREE,
      filter,
      attributes,
      {Control{kDirSyncOid, encode_dirsync_request({flags(), 0, cookie}), true, true}},
      0};
  std::vector<Entry> entries;
  const OperationResult result = connection.search(
      request, {[&](Entry&& e, const std::vector<Control>&) { entries.push_back(std::move(e)); },
                nullptr, nullptr});
  if (result.code == LDAP_INSUFFICIENT_ACCESS ||
      (result.code == LDAP_UNWILLING_TO_PERFORM && !session_.options().object_security))
    throw sdk::Error(
        IDSYNC_ERR_PERMISSION,
        describe(result.code, "DirSync search of \"" + partition + "\"", result.message) +
            ". The account needs the \"Replicating Directory Changes\" right on the "
            "partition, or set config.object_security to read only what it may "
            "read");
  if (!result.ok()) {
    const Classified c = classify(result.code);
    if (c.kind == IDSYNC_ERR_CONNECTION || c.kind == IDSYNC_ERR_TIMEOUT)
      throw_ldap(result.code, "DirSync search of \"" + partition + "\"", result.message);
    throw sdk::Error(
        IDSYNC_ERR_PRECONDITION,
        describe(result.code, "the DC refused the DirSync search of \"" + partition + "\"",
                 result.message) +
            "; the cookie may have expired: a full import is required");
  }
  const Control* control = result.control(kDirSyncOid);
  if (!control)
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     "the server answered a DirSync search without the DirSync control: it is "
                     "not an Active Directory DC (use connector type ldap.generic)");
  try {
    const DirSyncResponse response = decode_dirsync_response(control->value);
    cookie = response.cookie;
    more = response.more_results;
  } catch (const std::invalid_argument& e) {
    throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                     std::string("the DC's DirSync response cannot be read: ") + e.what());
  }
  return entries;
}

std::string DirSyncSource::current_watermark() {
  Watermark w;
  w.kind = kKind;
  for (const auto& partition : session_.partitions()) {
    std::string cookie;
    bool more = true;
    while (more) search_page(partition, kMatchNothing, {"objectGUID"}, cookie, more);
    w.set_token(partition, cookie);
  }
  return w.encode();
}

std::optional<Entry> DirSyncSource::read_by_guid(const std::string& partition,
                                                 std::string_view guid,
                                                 const std::vector<std::string>& attributes) {
  std::optional<Entry> found;
  SearchRequest request{partition,
                        LDAP_SCOPE_SUBTREE,
                        "(objectGUID=" + escape_filter_bytes(guid) + ")",
                        attributes,
                        {},
                        0};
  const OperationResult r = session_.connection().search(
      request,
      {[&](Entry&& e, const std::vector<Control>&) { found = std::move(e); }, nullptr, nullptr});
  if (!r.ok() && r.code != LDAP_NO_SUCH_OBJECT)
    throw_ldap(r.code, "read of object " + guid_to_string(guid), r.message);
  return found;
}

void DirSyncSource::push_change(Entry& entry, sdk::ImportWriter& out) {
  const ObjectMapper& mapper = session_.mapper();
  const std::string raw_guid(entry.first("objectGUID"));
  const std::string anchor = mapper.anchor_of_value(raw_guid);
  if (anchor.empty()) return;
  if (is_true(entry.first("isDeleted"))) {
    out.begin(IDSYNC_CHANGE_DELETE, {}, anchor, {}, entry.dn);
    out.end();
    return;
  }
  const Scope& scope = session_.scope();
  // A new object (DirSync sends its objectClass), or one renamed or moved, which may have
  // entered or left the scope: read it whole. DirSync's own copy of a new object lacks the
  // naming attribute (cn) and gives large linked values in pieces.
  const bool whole = entry.find("objectClass") || entry.find("parentGUID") || entry.find("name");
  if (whole) {
    auto current = read_by_guid(partition_, raw_guid, session_.schema().whole_read_attributes());
    if (!current) return;  // gone since: its tombstone comes in a later page
    const ObjectTypeSchema* type = mapper.object_type(*current);
    if (!type || !scope.contains(current->dn)) {
      out.begin(IDSYNC_CHANGE_DELETE, {}, anchor, {}, entry.dn);
      out.end();
      return;
    }
    mapper.complete_ranges(session_.connection(), *current);
    mapper.write_state(*current, *type, anchor, out);
    return;
  }
  if (!scope.contains(entry.dn)) return;
  mapper.check_value_sizes(entry);
  auto classes = read_by_guid(partition_, raw_guid, {"objectClass"});
  if (!classes) return;
  const ObjectTypeSchema* type = mapper.object_type(*classes);
  if (!type) return;
  out.begin(IDSYNC_CHANGE_UPDATE, type->name, anchor, entry.dn, entry.dn);
  const std::string anchor_key = lower(session_.options().anchor_attribute());
  for (const auto& a : entry.attributes) {
    const AttributeDescription d = parse_attribute_description(a.name);
    if (lower(d.name) == anchor_key) continue;
    if (d.ranged) {
      // Incremental values: range 1-1 lists values added, 0-0 values removed.
      mapper.write_attribute(type, d.name, a.values,
                             d.range_low == 1 ? IDSYNC_ATTR_ADD : IDSYNC_ATTR_REMOVE, out);
    } else {
      // Listed with no values: the attribute was cleared.
      mapper.write_attribute(type, d.name, a.values, IDSYNC_ATTR_REPLACE, out);
    }
  }
  out.end();
}

void DirSyncSource::delta_import(const sdk::ImportRequest& request, sdk::ImportWriter& out) {
  const auto& partitions = session_.partitions();
  // A resumed import continues from the cookies committed with its last page.
  Watermark at = Watermark::decode(
      request.checkpoint.empty() ? request.watermark : request.checkpoint, kKind, partitions);
  std::vector<std::string> attributes = session_.schema().requested_attributes();
  for (const char* extra : {"name", "parentGUID", "isDeleted"}) attributes.push_back(extra);
  const std::string filter = session_.class_filter();
  for (const auto& partition : partitions) {
    partition_ = partition;
    std::string cookie = at.token(partition);
    for (bool more = true; more;) {
      out.throw_if_cancelled();
      std::vector<Entry> entries = search_page(partition, filter, attributes, cookie, more);
      for (auto& entry : entries) push_change(entry, out);
      at.set_token(partition, cookie);
      if (more) out.page(at.encode());
    }
    out.page(at.encode());
  }
  out.finish(true, at.encode());
}

}  // namespace idsync::ldap
