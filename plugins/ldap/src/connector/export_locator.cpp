#include "export_locator.hpp"

#include "filter_escape.hpp"
#include "guid.hpp"
#include "ldap_error.hpp"

namespace idsync::ldap {

std::optional<std::string> anchor_filter(const Options& options, std::string_view anchor) {
  // Both anchors are GUID text: AD's in the Windows byte order, entryUUID as RFC 4122 text.
  const std::optional<std::string> raw = guid_from_string(anchor);
  if (!raw) return std::nullopt;
  if (options.active_directory()) return "(objectGUID=" + escape_filter_bytes(*raw) + ")";
  // entryUUID as RFC 4122 text: without the braces GUID text may have.
  std::string_view text = anchor;
  if (text.front() == '{') text = text.substr(1, text.size() - 2);
  return "(entryUUID=" + escape_filter_value(text) + ")";
}

std::optional<Entry> find_by_anchor(DirectorySession& session, std::string_view anchor,
                                    const std::vector<std::string>& attributes) {
  const std::optional<std::string> filter = anchor_filter(session.options(), anchor);
  if (!filter) return std::nullopt;
  for (const std::string& partition : session.partitions()) {
    std::optional<Entry> found;
    SearchRequest request{partition, LDAP_SCOPE_SUBTREE, *filter, attributes, {}, 1};
    const OperationResult result =
        session.connection().search(request, {[&](Entry&& e, const std::vector<Control>&) {
                                                if (!found) found = std::move(e);
                                              },
                                              nullptr, nullptr});
    if (found) return found;
    if (result.code == LDAP_NO_SUCH_OBJECT) continue;  // the partition itself is gone
    if (!result.ok() && result.code != LDAP_SIZELIMIT_EXCEEDED)
      throw_ldap(
          result.code,
          "search of \"" + partition + "\" for the object with anchor " + std::string(anchor),
          result.message);
  }
  return std::nullopt;
}

}  // namespace idsync::ldap
