// Maps LDIF records to records.
//
// Content records (no changetype) and "changetype: add" records carry full state: every
// attribute line becomes a value (repeated lines of one attribute, matched case-insensitively,
// collect into one multi-valued attribute), and the anchor attribute must appear exactly once
// with a non-empty value (or, with anchor_attribute "dn", the DN is the anchor). The object type
// is the last value of object_type_column (e.g. objectClass lists "top" first and the most
// specific class last), else the configured object type.
//
// Change records are only accepted in a change file:
//  - "changetype: delete": the record may name the anchor attribute ("entryUUID: ...") and
//    nothing else; RFC 2849 has no attribute lines in a delete, so this is our one extension.
//  - "changetype: modify": the anchor attribute line may precede the first modification;
//    "add:"/"delete:"/"replace:" sections, each ended by "-", become ADD/REMOVE/REPLACE entries.
//  - "changetype: modrdn"/"moddn": newrdn, deleteoldrdn and optional newsuperior become an
//    UPDATE whose DN is the new DN, with the new RDN values added and (deleteoldrdn: 1) the old
//    ones removed.
// A change record without the anchor attribute line is refused unless anchor_attribute is "dn"
// (the DN is then the anchor; a modrdn is refused then, since it would change the anchor).
#pragma once

#include "ldif_lexer.hpp"
#include "record_reader.hpp"

namespace idsync::file {

class LdifReader : public RecordReader {
 public:
  LdifReader(const InputFile& file, const FormatOptions& options, const ReadMode& mode);

  bool next(Record& record) override;
  Position position() const override { return lexer_.position(); }
  void seek(const Position& position) override;
  const std::string& name() const override { return lexer_.name(); }

 private:
  void map_content(Record& record, std::size_t first);
  void map_delete(Record& record, std::size_t first);
  void map_modify(Record& record, std::size_t first);
  void map_modrdn(Record& record, std::size_t first);
  // Consumes an anchor attribute line at lines[i] if there is one; returns whether it did.
  bool take_anchor_line(Record& record, std::size_t i);
  void require_anchor(Record& record, std::string_view what);
  void add_value(Record& record, const LdifLine& line);

  FormatOptions options_;
  ReadMode mode_;
  LdifLexer lexer_;
  LdifRecordText text_;
  bool at_start_ = true;
};

}  // namespace idsync::file
