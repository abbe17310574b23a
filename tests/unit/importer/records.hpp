// Builds import records for tests without spelling out every field.
#pragma once

#include <string>

#include "importer/import_record.hpp"

namespace idsync::testing {

inline importer::ImportRecord record(idsync_change change, std::string object_type,
                                     std::string anchor, std::string dn = {}) {
  importer::ImportRecord r;
  r.change = change;
  r.object_type = std::move(object_type);
  r.anchor = std::move(anchor);
  r.dn = std::move(dn);
  return r;
}

}  // namespace idsync::testing
