#include "export_add.hpp"

#include "export_consistency_guid.hpp"
#include "export_password.hpp"
#include "ldap_error.hpp"

namespace idsync::ldap {

namespace {

std::vector<std::string> default_object_classes(DirectorySession& session,
                                                const std::string& object_type) {
  if (session.options().active_directory()) return {object_type};
  const Subschema& subschema = session.schema().subschema();
  if (!subschema.object_class(object_type)) return {object_type};
  return subschema.superclasses(object_type);
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

OpOutcome export_add(DirectorySession& session, const sdk::ExportOp& op,
                     const ExportChanges& changes) {
  const std::string dn(op.dn);
  if (dn.empty())
    return OpOutcome::failed(IDSYNC_ERR_INVALID_VALUE,
                             "the object to add has no DN: give the outbound rule a "
                             "transformation with target \"dn\"");
  if (op.object_type.empty() && !changes.find("objectClass"))
    return OpOutcome::failed(IDSYNC_ERR_INVALID_VALUE,
                             "the object to add has neither an object type nor objectClass values");
  Connection& connection = session.connection();
  if (changes.has_password)
    if (auto refusal = password_refusal(session.options(), connection.encrypted()))
      return OpOutcome::failed(IDSYNC_ERR_CONFIG, "add of " + quoted(dn) + ": " + *refusal);

  std::vector<Modification> attributes;
  if (!changes.find("objectClass"))
    attributes.push_back(Modification{
        LDAP_MOD_ADD, "objectClass", default_object_classes(session, std::string(op.object_type))});
  attributes.insert(attributes.end(), changes.mods.begin(), changes.mods.end());

  const OperationResult result = connection.add(dn, attributes);
  if (!result.ok()) {
    OpOutcome failed = OpOutcome::from_ldap(result, "add of " + quoted(dn));
    // No such object on an add means the parent container is missing: the DN is at fault,
    // not an object the host knows.
    if (result.code == LDAP_NO_SUCH_OBJECT) {
      failed.kind = IDSYNC_ERR_INVALID_VALUE;
      failed.message += " (the parent container does not exist)";
    }
    return failed;
  }

  // The anchor the directory assigned. The object exists now, so a failure to read it back
  // is not a failure of the add: reported without an anchor, the next import brings the
  // object and its anchor, and the join adopts it.
  std::vector<std::string> wanted{session.options().anchor_attribute()};
  if (session.options().active_directory()) wanted = consistency_guid_attributes();
  std::optional<Entry> entry;
  std::string why;
  try {
    entry = session.connection().read(dn, wanted);
  } catch (const sdk::Error& e) {
    why = e.what();
  }
  const std::string anchor = entry ? session.mapper().anchor(*entry) : std::string();
  if (anchor.empty()) {
    if (session.diag())
      session.diag()->warn("added " + quoted(dn) + " but could not read its " +
                           session.options().anchor_attribute() +
                           (why.empty() ? std::string() : ": " + why) +
                           "; the next import brings it");
    return OpOutcome::ok({}, dn);
  }
  ensure_consistency_guid(session, *entry);
  return OpOutcome::ok(anchor, dn);
}

}  // namespace idsync::ldap
