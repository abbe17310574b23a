// LDIF export: "version: 1", then one content record per object separated by blank lines. A
// value is written as "attr: text" when it is a SAFE-STRING of RFC 2849 (printable ASCII, not
// starting with space, ':' or '<', not ending with a space) and as "attr:: base64" otherwise,
// which covers binary values and non-ASCII text. Lines are not folded (RFC 2849 allows any
// length).
#include "base64.hpp"
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

}  // namespace

std::unique_ptr<ObjectWriter> make_ldif_writer(const FormatOptions& options) {
  return std::make_unique<LdifWriter>(options);
}

}  // namespace idsync::file
