// The attribute section a simple complete record would be stored with, built straight from the
// record's views: no CsObject, no per-value strings. Full imports are mostly such records, and
// this is what lets a page of new objects be encoded, and a page of unchanged objects be
// recognised, without decoding or allocating per value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "importer/import_record.hpp"

namespace idsync::importer {

class CanonicalAttributes {
 public:
  // Appends to `out` exactly the bytes encode_cs_object writes for the attributes that
  // apply_record gives this record on an empty object, and returns true; returns false (and
  // leaves `out` alone) when the record is not simple: an op other than REPLACE, an attribute
  // name given twice, or many values on one attribute (the general path handles those).
  bool encode(const ImportRecord& record, std::string& out);

 private:
  std::vector<const AttrChange*> order_;  // reused across records
  std::vector<std::string_view> values_;
  std::string scratch_;
};

}  // namespace idsync::importer
