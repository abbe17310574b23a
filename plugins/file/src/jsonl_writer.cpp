// JSON Lines export: one object per line. "_dn" when there is a DN, "_object_type" when the type
// is not the configured default, then the attributes in order: one value as a scalar, several as
// an array. INTEGER and BOOLEAN values are written as JSON numbers and booleans, so they read
// back with their type; everything else is a JSON string. In append mode each operation is a line
// with "_change" instead (change_writer.hpp).
#include <algorithm>

#include "base64.hpp"
#include "change_writer.hpp"
#include "object_writer.hpp"
#include "utf8.hpp"
#include "writer_support.hpp"

namespace idsync::file {
namespace {

void json_string(std::string_view s, std::string& out) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// Appends a key's values: one as a scalar, several as an array, typed as described above.
void json_values(const std::vector<std::string_view>& values, idsync_value_type type,
                 std::string& out) {
  if (values.size() != 1) out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    if (type == IDSYNC_VALUE_INTEGER || type == IDSYNC_VALUE_BOOLEAN)
      out += values[i];
    else if (type == IDSYNC_VALUE_BINARY)
      json_string(encode_base64(values[i]), out);
    else
      json_string(values[i], out);
  }
  if (values.size() != 1) out += ']';
}

// Writes keys separated by commas.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  std::string& key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    json_string(k, out_);
    out_ += ':';
    return out_;
  }
  void end() { out_ += "}\n"; }

 private:
  std::string& out_;
  bool first_ = true;
};

// One object as a line; with `change`, "_change" comes first.
void write_object(const OwnedObject& object, const FormatOptions& o, std::string_view change,
                  std::string& out) {
  JsonObject line(out);
  if (!change.empty()) json_string(change, line.key("_change"));
  if (!object.dn.empty()) json_string(object.dn, line.key("_dn"));
  if (object.object_type != o.object_type)
    json_string(object.object_type, line.key("_object_type"));
  std::vector<std::string_view> values;
  for (const OwnedAttribute& a : object.attributes) {
    if (a.values.empty()) continue;
    values.assign(a.values.begin(), a.values.end());
    json_values(values, a.type, line.key(a.name));
  }
  line.end();
}

bool reserved(std::string_view name) {
  return name == "_dn" || name == "_object_type" || name == "_change";
}

class JsonlWriter : public ObjectWriter {
 public:
  explicit JsonlWriter(const FormatOptions& options) : o_(options) {}

  std::string prepare(OwnedObject& object) const override {
    for (const OwnedAttribute& a : object.attributes) {
      if (reserved(a.name)) return "attribute name " + a.name + " is reserved in JSON Lines files";
      for (const std::string& v : a.values) {
        std::string why = check_text_value(a, v);
        if (!why.empty()) return why;
      }
    }
    std::string why = check_text_value(OwnedAttribute{"_dn", IDSYNC_VALUE_STRING, {}}, object.dn);
    if (!why.empty()) return "the DN is not UTF-8 text";
    return {};
  }

  void begin(std::string&) const override {}

  void write(const OwnedObject& object, std::string& out) const override {
    write_object(object, o_, {}, out);
  }

 private:
  FormatOptions o_;
};

class JsonlChangeWriter : public ChangeWriter {
 public:
  explicit JsonlChangeWriter(const FormatOptions& options) : o_(options) {}

  void begin(std::string&) const override {}

  void add(const OwnedObject& object, std::string& out) const override {
    write_object(object, o_, "add", out);
  }

  std::string update(const sdk::ExportOp& op, const std::string& anchor,
                     std::string& out) const override {
    const bool rename = !op.new_dn.empty() && op.new_dn != op.dn;
    if (rename && o_.anchor_is_dn())
      return "a rename would change the anchor, and the DN is the anchor here";
    if (rename && !is_valid_utf8(op.new_dn)) return "the new DN is not UTF-8 text";
    for (std::size_t i = 0; i < op.attributes.size(); ++i) {
      const sdk::AttrView& a = op.attributes[i];
      if (reserved(a.name))
        return "attribute name " + std::string(a.name) + " is reserved in JSON Lines files";
      if (!a.values.empty() && a.op != IDSYNC_ATTR_REPLACE)
        return std::string("a JSON Lines update can only replace or clear ") + std::string(a.name) +
               ", not " +
               (a.op == IDSYNC_ATTR_ADD ? "add values to it" : "remove single values from it");
      for (std::size_t k = 0; k < i; ++k)
        if (o_.same_name(op.attributes[k].name, a.name))
          return "the update names " + std::string(a.name) + " twice";
      const OwnedAttribute attr{std::string(a.name), a.type, {}};
      for (std::string_view v : a.values) {
        std::string why = check_text_value(attr, std::string(v));
        if (!why.empty()) return why;
      }
    }
    JsonObject line(out);
    json_string("update", line.key("_change"));
    write_anchor(anchor, line);
    if (rename) json_string(op.new_dn, line.key("_dn"));
    for (const sdk::AttrView& a : op.attributes) {
      if (!o_.anchor_is_dn() && o_.same_name(a.name, o_.anchor)) continue;  // written above
      if (a.values.empty())
        line.key(a.name) += "null";
      else
        json_values(a.values, a.type, line.key(a.name));
    }
    line.end();
    return {};
  }

  std::string remove(const sdk::ExportOp&, const std::string& anchor,
                     std::string& out) const override {
    JsonObject line(out);
    json_string("delete", line.key("_change"));
    write_anchor(anchor, line);
    line.end();
    return {};
  }

 private:
  void write_anchor(const std::string& anchor, JsonObject& line) const {
    json_string(anchor, line.key(o_.anchor_is_dn() ? std::string_view("_dn") : o_.anchor));
  }

  FormatOptions o_;
};

}  // namespace

std::unique_ptr<ObjectWriter> make_jsonl_writer(const FormatOptions& options) {
  return std::make_unique<JsonlWriter>(options);
}

std::unique_ptr<ChangeWriter> make_jsonl_change_writer(const FormatOptions& options) {
  return std::make_unique<JsonlChangeWriter>(options);
}

}  // namespace idsync::file
