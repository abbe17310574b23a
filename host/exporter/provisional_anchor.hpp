// Provisional anchors as the exporter names them; the definitions live in the store
// (store/provisional_anchor.hpp), where the importer finds them too.
#pragma once

#include "store/provisional_anchor.hpp"

namespace idsync::exporter {

using store::is_provisional_anchor;
using store::kProvisionalAnchorPrefix;
using store::make_provisional_anchor;

}  // namespace idsync::exporter
