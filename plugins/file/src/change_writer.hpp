// Writes export operations as change records (export_mode append): the records the connector's
// own change-file import reads back, so that a Delta import confirms exactly what was exported.
//
//   LDIF   RFC 2849 change records. ADD: "changetype: add" with the whole entry. UPDATE: a
//          "changetype: modrdn" record when the DN changes (deleteoldrdn: 1, newsuperior when
//          the parent changes), then a "changetype: modify" record with one add:, delete: or
//          replace: section per attribute entry. DELETE: "changetype: delete". Unless the DN
//          is the anchor, each record carries the anchor attribute's line (the connector's one
//          extension to RFC 2849), so the records stay readable when the DN changes.
//   JSONL  one line per operation with "_change" add, update or delete. An update replaces the
//          attributes it names (null clears one), so it cannot add or remove single values:
//          such an entry fails the operation with INVALID_VALUE.
//   CSV    not supported (a CSV change file cannot clear a value or gain a column).
//
// Every writer checks first, and returns why the format cannot express the operation rather
// than write a record that would read back differently.
#pragma once

#include <idsync/sdk.hpp>
#include <memory>
#include <string>

#include "format_options.hpp"
#include "object.hpp"

namespace idsync::file {

class ChangeWriter {
 public:
  virtual ~ChangeWriter() = default;
  // Text before the first record of a new change file (LDIF: the version line).
  virtual void begin(std::string& out) const = 0;
  // The record creating `object`, already prepared by the format's ObjectWriter.
  virtual void add(const OwnedObject& object, std::string& out) const = 0;
  // The record(s) applying UPDATE `op` to the object with `anchor`; on failure returns why and
  // appends nothing. The caller has checked that the op leaves the anchor as it is.
  virtual std::string update(const sdk::ExportOp& op, const std::string& anchor,
                             std::string& out) const = 0;
  // The record deleting the object with `anchor` (DN `op.dn`); on failure returns why.
  virtual std::string remove(const sdk::ExportOp& op, const std::string& anchor,
                             std::string& out) const = 0;
};

// nullptr for CSV.
std::unique_ptr<ChangeWriter> make_change_writer(const FormatOptions& options);

}  // namespace idsync::file
