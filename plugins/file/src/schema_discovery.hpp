// Schema discovery for LDIF and JSON Lines files: which attributes (and object types) the file
// holds, found by reading it, as MIM's LDIF agent does. A CSV header names its columns; these
// formats have no header, and a schema that declared only the anchor would leave every imported
// attribute undeclared for the host's flow planning.
//
// Value types are merged over the whole file: one kind throughout keeps its type (INTEGER,
// BOOLEAN, STRING, BINARY); integers mixed with text or booleans become STRING; anything mixed
// with non-UTF-8 bytes becomes BINARY. Imports then coerce each attribute to the discovered
// type (coerce()), so every record agrees with the schema: without that, a JSONL "age" that is
// sometimes a number and sometimes a string, or an LDIF objectGUID whose random bytes happen to
// be valid UTF-8, would change type from record to record.
//
// LDIF attributes are declared multi-valued (LDAP attributes are, unless the directory schema
// says otherwise, which the file does not tell); JSONL attributes are multi-valued when some
// record gives more than one value.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "format_options.hpp"
#include "input_buffer.hpp"
#include "record.hpp"

namespace idsync::file {

struct DiscoveredAttribute {
  std::string name;  // as first seen
  idsync_value_type type = IDSYNC_VALUE_STRING;
  bool multivalued = false;
};

class DiscoveredSchema {
 public:
  explicit DiscoveredSchema(const FormatOptions& options);

  // Folds one record in (its attributes and object type).
  void add(const Record& record);
  // Declares an attribute the file does not have (listed in `attributes`): text, multi-valued.
  void declare(std::string_view name);
  // Puts back what an earlier discovery found (schema_cache.hpp): an attribute as it was, an
  // object type.
  void restore(const DiscoveredAttribute& attribute);
  void restore_object_type(std::string_view object_type);

  // Widens each attribute of the record to its discovered type. Only widening is done (to
  // STRING from INTEGER/BOOLEAN, to BINARY from anything): a record from another file (a change
  // file) whose values do not fit keeps its own type rather than become wrong.
  void coerce(Record& record) const;

  const std::vector<DiscoveredAttribute>& attributes() const { return attributes_; }
  const DiscoveredAttribute* find(std::string_view name) const;
  // Object types seen, in first-seen order.
  const std::vector<std::string>& object_types() const { return object_types_; }

 private:
  bool case_insensitive_;
  bool ldif_;
  std::vector<DiscoveredAttribute> attributes_;
  std::unordered_map<std::string, std::size_t> index_;  // key: name, lowercased for LDIF
  std::vector<std::string> object_types_;
  mutable std::string key_;  // lookup scratch, so lookups do not allocate
};

// Reads the whole file (as a full-state file) into a DiscoveredSchema. `poll` is called now and
// then (cancellation).
DiscoveredSchema discover_schema(const InputFile& file, const FormatOptions& options,
                                 const std::function<void()>& poll = {});

}  // namespace idsync::file
