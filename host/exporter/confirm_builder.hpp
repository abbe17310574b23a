// What an export confirmation records for a pending export the connector applied: the values
// the connector should now hold, so the next import can check them (export_confirm.hpp).
//
//   add, delete-add  the initial values, per attribute; the DN the object was created with
//   update           per attribute touched, the values it should have afterwards: a replace's
//                    values; an add or remove applied to what the connector space last saw of
//                    the attribute (the CS object) or, when an unconfirmed earlier export
//                    already changed it, to that export's values. A cleared attribute is
//                    recorded with no values. Attributes not touched are carried over from the
//                    earlier confirmation. DN: the rename target, if any.
//   delete           no confirmation (the import checks that the object is gone by itself)
// Secret attributes (store/secret_attributes.hpp) are never recorded: the connector does not
// return them, and the confirmation must not keep a password the export has delivered.
#pragma once

#include <optional>
#include <string>

#include "store/cs_object.hpp"
#include "store/export_confirm.hpp"
#include "store/pending_export.hpp"
#include "store/secret_attributes.hpp"

namespace idsync::exporter {

// `reported_dn`: the DN the connector said the object has now (empty: not reported).
store::ExportConfirm build_confirm(const store::PendingExport& sent,
                                   const std::optional<store::CsObject>& cs_object,
                                   const std::optional<store::ExportConfirm>& earlier,
                                   const std::string& reported_dn, int64_t when_unix_ms,
                                   const store::SecretAttributes& secrets = {});

}  // namespace idsync::exporter
