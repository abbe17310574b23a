// Writes objects in one of the three formats (export). Each writer first checks that the object
// can be represented faithfully in its format; an object that cannot (a value containing the CSV
// multi-value separator, an LDIF entry without DN, ...) fails its export operation with
// IDSYNC_ERR_INVALID_VALUE instead of being written in a form that would read back differently.
//
// Binary values (IDSYNC_VALUE_BINARY) are written as base64 text in CSV and JSONL, which have no
// binary form (they read back as that text), and as "attr:: base64" in LDIF.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "format_options.hpp"
#include "object.hpp"

namespace idsync::file {

class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  // Normalizes the object for this format (e.g. adds the object type attribute) and returns why
  // it cannot be written, or an empty string.
  virtual std::string prepare(OwnedObject& object) const = 0;
  // Text before the first object (CSV header, LDIF version line).
  virtual void begin(std::string& out) const = 0;
  // Appends the object's text. Call prepare() first.
  virtual void write(const OwnedObject& object, std::string& out) const = 0;
};

// `columns`: CSV only, the header to write (metadata columns included).
std::unique_ptr<ObjectWriter> make_writer(const FormatOptions& options,
                                          const std::vector<std::string>& columns);

}  // namespace idsync::file
