// JSON Lines export: one object per line. "_dn" when there is a DN, "_object_type" when the type
// is not the configured default, then the attributes in order: one value as a scalar, several as
// an array. INTEGER and BOOLEAN values are written as JSON numbers and booleans, so they read
// back with their type; everything else is a JSON string.
#include "base64.hpp"
#include "object_writer.hpp"
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

class JsonlWriter : public ObjectWriter {
 public:
  explicit JsonlWriter(const FormatOptions& options) : o_(options) {}

  std::string prepare(OwnedObject& object) const override {
    for (const OwnedAttribute& a : object.attributes) {
      if (a.name == "_dn" || a.name == "_object_type" || a.name == "_change")
        return "attribute name " + a.name + " is reserved in JSON Lines files";
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
    out += '{';
    bool first = true;
    auto key = [&](std::string_view k) {
      if (!first) out += ',';
      first = false;
      json_string(k, out);
      out += ':';
    };
    if (!object.dn.empty()) {
      key("_dn");
      json_string(object.dn, out);
    }
    if (object.object_type != o_.object_type) {
      key("_object_type");
      json_string(object.object_type, out);
    }
    for (const OwnedAttribute& a : object.attributes) {
      if (a.values.empty()) continue;
      key(a.name);
      if (a.values.size() > 1) out += '[';
      for (std::size_t i = 0; i < a.values.size(); ++i) {
        if (i) out += ',';
        if (a.type == IDSYNC_VALUE_INTEGER || a.type == IDSYNC_VALUE_BOOLEAN)
          out += a.values[i];
        else if (a.type == IDSYNC_VALUE_BINARY)
          json_string(encode_base64(a.values[i]), out);
        else
          json_string(a.values[i], out);
      }
      if (a.values.size() > 1) out += ']';
    }
    out += "}\n";
  }

 private:
  FormatOptions o_;
};

}  // namespace

std::unique_ptr<ObjectWriter> make_jsonl_writer(const FormatOptions& options) {
  return std::make_unique<JsonlWriter>(options);
}

}  // namespace idsync::file
