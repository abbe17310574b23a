// An object held by value, for export: the export file is read object by object, the batch's
// operations are applied to the objects they name, and the result is written out.
#pragma once

#include <idsync/plugin_abi.h>

#include <idsync/sdk.hpp>
#include <string>
#include <vector>

#include "format_options.hpp"
#include "record.hpp"

namespace idsync::file {

struct OwnedAttribute {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  std::vector<std::string> values;
};

struct OwnedObject {
  std::string object_type;
  std::string anchor;
  std::string dn;
  std::vector<OwnedAttribute> attributes;

  static OwnedObject from(const Record& record);
  OwnedAttribute* find(std::string_view name, const FormatOptions& options);
  const OwnedAttribute* find(std::string_view name, const FormatOptions& options) const;
  void erase(std::string_view name, const FormatOptions& options);
};

// Applies one attribute entry of an export operation: REPLACE sets the values (none: removes
// the attribute), ADD adds the values not yet present, REMOVE removes the values given (none:
// removes the attribute). An attribute left without values is removed.
void apply_attribute(OwnedObject& object, const sdk::AttrView& change,
                     const FormatOptions& options);

}  // namespace idsync::file
