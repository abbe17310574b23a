#include "ldif_reader.hpp"

#include "dn.hpp"
#include "source_error.hpp"
#include "utf8.hpp"

namespace idsync::file {

LdifReader::LdifReader(const InputFile& file, const FormatOptions& options, const ReadMode& mode)
    : options_(options),
      mode_(mode),
      lexer_(file, display_name(file.path()), mode.stop_at_unterminated) {}

void LdifReader::seek(const Position& position) {
  lexer_.seek(position);
  at_start_ = position.offset == 0;
}

void LdifReader::add_value(Record& record, const LdifLine& line) {
  const idsync_value_type type = line.binary ? IDSYNC_VALUE_BINARY : IDSYNC_VALUE_STRING;
  for (Attribute& a : record.attributes()) {
    if (a.op == IDSYNC_ATTR_REPLACE && iequals(a.name, line.name)) {
      a.values.push_back(line.value);
      if (line.binary) a.type = IDSYNC_VALUE_BINARY;
      return;
    }
  }
  record.add(line.name, type).values.push_back(line.value);
}

bool LdifReader::take_anchor_line(Record& record, std::size_t i) {
  const LdifLine& l = text_.lines[i];
  if (options_.anchor_is_dn() || l.kind != LdifLine::Kind::value ||
      !iequals(l.name, options_.anchor))
    return false;
  if (!record.anchor.empty())
    throw_at(name(), l.line, "the anchor attribute " + options_.anchor + " appears twice");
  if (l.value.empty()) throw_at(name(), l.line, "empty anchor (attribute " + options_.anchor + ")");
  record.anchor = l.value;
  return true;
}

void LdifReader::require_anchor(Record& record, std::string_view what) {
  if (options_.anchor_is_dn()) {
    if (record.dn.empty()) throw_at(name(), record.line, "empty anchor (the DN is empty)");
    record.anchor = record.dn;
    return;
  }
  if (record.anchor.empty())
    throw_at(name(), record.line,
             std::string(what) + " has no " + options_.anchor +
                 " line; the anchor attribute must be present (add \"" + options_.anchor +
                 ": <value>\" to the record, or set anchor_attribute to dn)");
}

bool LdifReader::next(Record& record) {
  for (;;) {
    record.clear();
    if (!lexer_.next(text_, record.arena)) return false;
    auto& lines = text_.lines;
    std::size_t first = 0;
    if (at_start_) {
      at_start_ = false;
      if (lines[0].kind == LdifLine::Kind::value && iequals(lines[0].name, "version")) {
        if (lines[0].value != "1")
          throw_at(name(), lines[0].line,
                   "unsupported LDIF version " + quoted(lines[0].value) + " (expected 1)");
        first = 1;
        if (lines.size() == 1) continue;  // "version: 1" followed by a blank line
      }
    }
    const LdifLine& dn = lines[first];
    if (dn.kind != LdifLine::Kind::value || !iequals(dn.name, "dn"))
      throw_at(name(), dn.line, "a record must start with \"dn:\"");
    if (dn.binary) throw_at(name(), dn.line, "the DN is not UTF-8 text");
    record.dn = dn.value;
    record.line = dn.line;
    record.offset = text_.offset;
    record.object_type = options_.object_type;
    std::size_t i = first + 1;
    if (i < lines.size() && lines[i].kind == LdifLine::Kind::value &&
        iequals(lines[i].name, "control"))
      throw_at(name(), lines[i].line, "LDIF controls are not supported");
    std::string_view changetype;
    if (i < lines.size() && lines[i].kind == LdifLine::Kind::value &&
        iequals(lines[i].name, "changetype")) {
      changetype = lines[i].value;
      ++i;
    }
    if (changetype.empty() || iequals(changetype, "add")) {
      record.change =
          !changetype.empty() && mode_.change_records ? IDSYNC_CHANGE_ADD : IDSYNC_CHANGE_STATE;
      map_content(record, i);
      return true;
    }
    const bool known = iequals(changetype, "delete") || iequals(changetype, "modify") ||
                       iequals(changetype, "modrdn") || iequals(changetype, "moddn");
    if (!known)
      throw_at(name(), lines[i - 1].line,
               "unknown changetype " + quoted(changetype) +
                   " (expected add, delete, modify, modrdn or moddn)");
    if (!mode_.change_records)
      throw_at(name(), lines[i - 1].line,
               "changetype " + std::string(changetype) +
                   " is only allowed in a change file; this file holds full state");
    if (iequals(changetype, "delete"))
      map_delete(record, i);
    else if (iequals(changetype, "modify"))
      map_modify(record, i);
    else
      map_modrdn(record, i);
    return true;
  }
}

void LdifReader::map_content(Record& record, std::size_t i) {
  std::string_view type_value;
  for (; i < text_.lines.size(); ++i) {
    const LdifLine& l = text_.lines[i];
    if (l.kind == LdifLine::Kind::separator)
      throw_at(name(), l.line, "\"-\" is only allowed in a changetype: modify record");
    if (iequals(l.name, "dn") || iequals(l.name, "changetype"))
      throw_at(name(), l.line, quoted(l.name) + " may only appear at the start of a record");
    if (!options_.anchor_is_dn() && iequals(l.name, options_.anchor)) {
      if (!record.anchor.empty())
        throw_at(name(), l.line,
                 "the anchor attribute " + options_.anchor + " has more than one value");
      if (l.value.empty())
        throw_at(name(), l.line, "empty anchor (attribute " + options_.anchor + ")");
      record.anchor = l.value;
    }
    if (!options_.object_type_column.empty() && iequals(l.name, options_.object_type_column) &&
        !l.value.empty())
      type_value = l.value;
    if (options_.wants_attribute(l.name)) add_value(record, l);
  }
  if (!type_value.empty()) record.object_type = type_value;
  require_anchor(record, "the record");
}

void LdifReader::map_delete(Record& record, std::size_t i) {
  record.change = IDSYNC_CHANGE_DELETE;
  for (; i < text_.lines.size(); ++i)
    if (!take_anchor_line(record, i))
      throw_at(name(), text_.lines[i].line,
               "a changetype: delete record may only name the anchor attribute " + options_.anchor);
  require_anchor(record, "the changetype: delete record");
}

void LdifReader::map_modify(Record& record, std::size_t i) {
  record.change = IDSYNC_CHANGE_UPDATE;
  auto& lines = text_.lines;
  while (i < lines.size() && take_anchor_line(record, i)) ++i;
  while (i < lines.size()) {
    const LdifLine& spec = lines[i];
    idsync_attr_op op;
    if (spec.kind == LdifLine::Kind::value && iequals(spec.name, "add"))
      op = IDSYNC_ATTR_ADD;
    else if (spec.kind == LdifLine::Kind::value && iequals(spec.name, "delete"))
      op = IDSYNC_ATTR_REMOVE;
    else if (spec.kind == LdifLine::Kind::value && iequals(spec.name, "replace"))
      op = IDSYNC_ATTR_REPLACE;
    else
      throw_at(name(), spec.line,
               "expected \"add:\", \"delete:\" or \"replace:\" in a changetype: modify record");
    if (spec.value.empty()) throw_at(name(), spec.line, quoted(spec.name) + " names no attribute");
    const bool wanted = options_.wants_attribute(spec.value);
    Attribute* attr = wanted ? &record.add(spec.value, IDSYNC_VALUE_STRING, op) : nullptr;
    ++i;
    for (; i < lines.size() && lines[i].kind == LdifLine::Kind::value; ++i) {
      const LdifLine& v = lines[i];
      if (!iequals(v.name, spec.value))
        throw_at(name(), v.line,
                 "expected a value of " + std::string(spec.value) + " or \"-\", found " +
                     quoted(v.name));
      if (attr) {
        attr->values.push_back(v.value);
        if (v.binary) attr->type = IDSYNC_VALUE_BINARY;
      }
    }
    // Each section ends with "-"; a missing one at the very end of the record is tolerated.
    if (i < lines.size()) ++i;
  }
  require_anchor(record, "the changetype: modify record");
}

void LdifReader::map_modrdn(Record& record, std::size_t i) {
  record.change = IDSYNC_CHANGE_UPDATE;
  if (options_.anchor_is_dn())
    throw_at(name(), record.line,
             "a modrdn record would change the anchor, which is the DN here (anchor_attribute dn)");
  std::string_view newrdn, newsuperior, deleteoldrdn;
  bool has_superior = false;
  for (; i < text_.lines.size(); ++i) {
    const LdifLine& l = text_.lines[i];
    if (take_anchor_line(record, i)) continue;
    if (l.kind == LdifLine::Kind::value && iequals(l.name, "newrdn"))
      newrdn = l.value;
    else if (l.kind == LdifLine::Kind::value && iequals(l.name, "deleteoldrdn"))
      deleteoldrdn = l.value;
    else if (l.kind == LdifLine::Kind::value && iequals(l.name, "newsuperior")) {
      newsuperior = l.value;
      has_superior = true;
    } else
      throw_at(name(), l.line, "unexpected line in a modrdn record: " + quoted(l.name));
  }
  if (newrdn.empty()) throw_at(name(), record.line, "the modrdn record has no newrdn");
  if (deleteoldrdn != "0" && deleteoldrdn != "1")
    throw_at(name(), record.line,
             "the modrdn record needs \"deleteoldrdn: 0\" or \"deleteoldrdn: 1\"");
  require_anchor(record, "the modrdn record");

  const DnSplit old = split_first_rdn(record.dn);
  std::vector<Ava> old_avas, new_avas;
  if (!parse_rdn(newrdn, new_avas))
    throw_at(name(), record.line, "newrdn " + quoted(newrdn) + " is not an RDN");
  if (deleteoldrdn == "1" && !parse_rdn(old.rdn, old_avas))
    throw_at(name(), record.line, "the DN " + quoted(record.dn) + " does not start with an RDN");
  const std::string_view parent = has_superior ? newsuperior : old.parent;
  std::string new_dn(newrdn);
  if (!parent.empty()) new_dn += "," + std::string(parent);
  record.dn = record.arena.copy(new_dn);
  // Old RDN values go first so that an RDN that keeps its value ends up still present.
  for (const Ava& a : old_avas)
    if (options_.wants_attribute(a.type))
      record.add(record.arena.copy(a.type), IDSYNC_VALUE_STRING, IDSYNC_ATTR_REMOVE)
          .values.push_back(record.arena.copy(a.value));
  for (const Ava& a : new_avas)
    if (options_.wants_attribute(a.type))
      record.add(record.arena.copy(a.type), IDSYNC_VALUE_STRING, IDSYNC_ATTR_ADD)
          .values.push_back(record.arena.copy(a.value));
}

}  // namespace idsync::file
