// LDIF export: "version: 1", then one content record per object separated by blank lines (or,
// in append mode, one change record per operation: change_writer.hpp). A
// value is written as "attr: text" when it is a SAFE-STRING of RFC 2849 (printable ASCII, not
// starting with space, ':' or '<', not ending with a space) and as "attr:: base64" otherwise,
// which covers binary values and non-ASCII text. Lines are not folded (RFC 2849 allows any
// length).
#include "base64.hpp"
#include "change_writer.hpp"
#include "dn.hpp"
#include "object_writer.hpp"
#include "utf8.hpp"
#include "writer_support.hpp"

namespace idsync::file {
namespace {

bool safe_string(std::string_view v) {
  if (v.empty()) return true;
  if (v.front() == ' ' || v.front() == ':' || v.front() == '<' || v.back() == ' ') return false;
  for (unsigned char c : v)
    if (c == 0 || c == '\n' || c == '\r' || c >= 0x80) return false;
  return true;
}

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == ';' || c == '.'))
      return false;
  return !iequals(n, "dn") && !iequals(n, "changetype") && !iequals(n, "control");
}

void line(std::string_view name, std::string_view value, bool binary, std::string& out) {
  out.append(name);
  if (!binary && safe_string(value)) {
    out += value.empty() ? ":" : ": ";
    out.append(value);
  } else {
    out += ":: ";
    out += encode_base64(value);
  }
  out += '\n';
}

class LdifWriter : public ObjectWriter {
 public:
  explicit LdifWriter(const FormatOptions& options) : o_(options) {}

  std::string prepare(OwnedObject& object) const override {
    if (object.dn.empty()) return "an LDIF entry needs a DN";
    if (!is_valid_utf8(object.dn)) return "the DN is not UTF-8 text";
    if (o_.object_type_column.empty()) {
      if (object.object_type != o_.object_type)
        return "this LDIF file holds only " + o_.object_type +
               " objects (set object_type_column, e.g. objectClass, to store other types)";
    } else if (OwnedAttribute* t = object.find(o_.object_type_column, o_)) {
      if (t->values.empty() || t->values.back() != object.object_type)
        return "the last value of " + o_.object_type_column + " must be the object type " +
               object.object_type;
    } else {
      object.attributes.push_back(
          OwnedAttribute{o_.object_type_column, IDSYNC_VALUE_STRING, {object.object_type}});
    }
    for (const OwnedAttribute& a : object.attributes) {
      if (!valid_name(a.name))
        return quote_for_message(a.name) + " is not a valid LDIF attribute name";
      for (const std::string& v : a.values) {
        std::string why = check_text_value(a, v);
        if (!why.empty()) return why;
      }
    }
    return {};
  }

  void begin(std::string& out) const override { out += "version: 1\n\n"; }

  // Every record ends with its blank line, as slapcat and ldapsearch write them: a record an
  // admin appends with `>>` starts a record of its own rather than continuing the last one.
  void write(const OwnedObject& object, std::string& out) const override {
    line("dn", object.dn, false, out);
    for (const OwnedAttribute& a : object.attributes)
      for (const std::string& v : a.values) line(a.name, v, a.type == IDSYNC_VALUE_BINARY, out);
    out += '\n';
  }

 private:
  FormatOptions o_;
};

// Why an entry of an UPDATE cannot be written, or "".
std::string check_entry(const sdk::AttrView& a) {
  const std::string name(a.name);
  if (!valid_name(name)) return quote_for_message(name) + " is not a valid LDIF attribute name";
  const OwnedAttribute attr{name, a.type, {}};
  for (std::string_view v : a.values) {
    std::string why = check_text_value(attr, std::string(v));
    if (!why.empty()) return why;
  }
  return {};
}

bool has_type(const std::vector<Ava>& avas, std::string_view type) {
  for (const Ava& a : avas)
    if (iequals(a.type, type)) return true;
  return false;
}

class LdifChangeWriter : public ChangeWriter {
 public:
  explicit LdifChangeWriter(const FormatOptions& options) : o_(options) {}

  void begin(std::string& out) const override { out += "version: 1\n\n"; }

  void add(const OwnedObject& object, std::string& out) const override {
    line("dn", object.dn, false, out);
    out += "changetype: add\n";
    for (const OwnedAttribute& a : object.attributes)
      for (const std::string& v : a.values) line(a.name, v, a.type == IDSYNC_VALUE_BINARY, out);
    out += '\n';
  }

  std::string update(const sdk::ExportOp& op, const std::string& anchor,
                     std::string& out) const override {
    if (op.dn.empty())
      return "the object's DN is not known, and an LDIF change record names its object by DN";
    for (const sdk::AttrView& a : op.attributes) {
      std::string why = check_entry(a);
      if (!why.empty()) return why;
    }
    std::string text;
    std::string_view dn = op.dn;
    if (!op.new_dn.empty() && op.new_dn != op.dn) {
      if (o_.anchor_is_dn())
        return "a rename would change the anchor, and the DN is the anchor here";
      const DnSplit from = split_first_rdn(op.dn), to = split_first_rdn(op.new_dn);
      std::vector<Ava> old_rdn, new_rdn;
      if (!parse_rdn(to.rdn, new_rdn))
        return "the new DN " + quote_for_message(op.new_dn) + " does not start with an RDN";
      if (!parse_rdn(from.rdn, old_rdn))
        return "the DN " + quote_for_message(op.dn) + " does not start with an RDN";
      for (const Ava& a : new_rdn)
        if (o_.same_name(a.type, o_.anchor) && a.value != anchor)
          return "the new DN would change the anchor attribute " + o_.anchor;
      line("dn", op.dn, false, text);
      text += "changetype: modrdn\n";
      line(o_.anchor, anchor, false, text);
      line("newrdn", to.rdn, false, text);
      // Reading the record back removes the old RDN's values; the anchor's must stay.
      text += has_type(old_rdn, o_.anchor) ? "deleteoldrdn: 0\n" : "deleteoldrdn: 1\n";
      if (to.parent != from.parent) line("newsuperior", to.parent, false, text);
      text += '\n';
      dn = op.new_dn;
    }
    if (!op.attributes.empty()) {
      line("dn", dn, false, text);
      text += "changetype: modify\n";
      if (!o_.anchor_is_dn()) line(o_.anchor, anchor, false, text);
      for (const sdk::AttrView& a : op.attributes) {
        const char* word = a.op == IDSYNC_ATTR_ADD      ? "add"
                           : a.op == IDSYNC_ATTR_REMOVE ? "delete"
                                                        : "replace";
        line(word, a.name, false, text);
        for (std::string_view v : a.values) line(a.name, v, a.type == IDSYNC_VALUE_BINARY, text);
        text += "-\n";
      }
      text += '\n';
    }
    out += text;
    return {};
  }

  std::string remove(const sdk::ExportOp& op, const std::string& anchor,
                     std::string& out) const override {
    if (op.dn.empty() && o_.anchor_is_dn())
      return "the object's DN is not known, and it is the anchor here";
    line("dn", o_.anchor_is_dn() ? std::string_view(anchor) : op.dn, false, out);
    out += "changetype: delete\n";
    if (!o_.anchor_is_dn()) line(o_.anchor, anchor, false, out);
    out += '\n';
    return {};
  }

 private:
  FormatOptions o_;
};

}  // namespace

std::unique_ptr<ObjectWriter> make_ldif_writer(const FormatOptions& options) {
  return std::make_unique<LdifWriter>(options);
}

std::unique_ptr<ChangeWriter> make_ldif_change_writer(const FormatOptions& options) {
  return std::make_unique<LdifChangeWriter>(options);
}

}  // namespace idsync::file
