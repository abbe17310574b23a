#include "export_consistency_guid.hpp"

#include "directory_schema.hpp"
#include "ldap_error.hpp"

namespace idsync::ldap {

namespace {

constexpr const char* kConsistencyGuid = "mS-DS-ConsistencyGuid";

bool user_or_group(const Entry& entry) {
  const EntryAttribute* classes = entry.find("objectClass");
  if (!classes) return false;
  for (const auto& c : classes->values)
    if (lower(c) == "user" || lower(c) == "group") return true;
  return false;
}

void warn(DirectorySession& session, const Entry& entry, const std::string& why) {
  if (session.diag())
    session.diag()->warn("could not set mS-DS-ConsistencyGuid of \"" + entry.dn +
                         "\" to its objectGUID: " + why);
}

}  // namespace

const std::vector<std::string>& consistency_guid_attributes() {
  static const std::vector<std::string> attributes{"objectGUID", "objectClass", kConsistencyGuid};
  return attributes;
}

void ensure_consistency_guid(DirectorySession& session, const Entry& entry) {
  const Options& options = session.options();
  if (!options.active_directory() || !options.write_consistency_guid) return;
  if (!user_or_group(entry)) return;
  const EntryAttribute* present = entry.find(kConsistencyGuid);
  if (present && !present->values.empty() && !present->values.front().empty()) return;
  const std::string_view guid = entry.first("objectGUID");
  if (guid.size() != 16) return warn(session, entry, "its objectGUID is not readable");
  try {
    // An add, not a replace: a value someone set meanwhile is left alone (and reported).
    const OperationResult r = session.connection().modify(
        entry.dn, {Modification{LDAP_MOD_ADD, kConsistencyGuid, {std::string(guid)}}});
    if (!r.ok()) warn(session, entry, describe(r.code, "modify", r.message));
  } catch (const sdk::Error& e) {
    warn(session, entry, e.what());
  }
}

}  // namespace idsync::ldap
