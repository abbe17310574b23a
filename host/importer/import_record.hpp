// One object record as a connector pushed it, copied out of the plugin's buffers.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <vector>

namespace idsync::importer {

struct AttrChange {
  std::string name;
  idsync_value_type type = IDSYNC_VALUE_STRING;
  idsync_attr_op op = IDSYNC_ATTR_REPLACE;
  std::vector<std::string> values;
};

struct ImportRecord {
  idsync_change change = IDSYNC_CHANGE_STATE;
  std::string object_type;
  std::string anchor;
  std::string dn;
  std::vector<AttrChange> attributes;
  std::string source;  // where the connector read it ("people.csv:17"), for messages
  // Set while the page fills (on the connector's thread, which has time to spare): the
  // canonical attribute section of a simple STATE/ADD record (canonical_attributes.hpp).
  bool simple = false;
  std::string canonical;
};

}  // namespace idsync::importer
