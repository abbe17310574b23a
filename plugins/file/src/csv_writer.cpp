// CSV export: RFC 4180 quoting (a field is quoted when it contains the delimiter, a quote, CR or
// LF; quotes are doubled), LF line ends, multi-valued attributes joined with the multi-value
// separator. An attribute without values is an empty field.
#include <algorithm>

#include "base64.hpp"
#include "object_writer.hpp"
#include "utf8.hpp"
#include "writer_support.hpp"

namespace idsync::file {
namespace {

class CsvWriter : public ObjectWriter {
 public:
  CsvWriter(const FormatOptions& options, std::vector<std::string> columns)
      : o_(options), columns_(std::move(columns)) {}

  std::string prepare(OwnedObject& object) const override {
    if (o_.object_type_column.empty() && object.object_type != o_.object_type)
      return "this CSV file holds only " + o_.object_type +
             " objects (set object_type_column to store other types)";
    for (const OwnedAttribute& a : object.attributes) {
      if (a.name != o_.anchor && (a.name == o_.dn_column || a.name == o_.object_type_column ||
                                  a.name == o_.change_type_column))
        return "attribute " + a.name + " has the name of a metadata column of the CSV file";
      if (std::find(columns_.begin(), columns_.end(), a.name) == columns_.end())
        return "the CSV file has no column " + a.name;
      if (a.values.size() > 1 && o_.multi_value_separator.empty())
        return "attribute " + a.name + " has several values but multi_value_separator is empty";
      for (const std::string& v : a.values) {
        std::string why = check_text_value(a, v);
        if (!why.empty()) return why;
        const std::string text = a.type == IDSYNC_VALUE_BINARY ? encode_base64(v) : v;
        if (text.empty())
          return "attribute " + a.name + " has an empty value, which CSV cannot store";
        if (!o_.multi_value_separator.empty() &&
            text.find(o_.multi_value_separator) != std::string::npos && a.name != o_.anchor)
          return "a value of " + a.name + " contains the multi-value separator " +
                 quote_for_message(o_.multi_value_separator);
      }
    }
    if (!is_valid_utf8(object.dn)) return "the DN is not UTF-8 text";
    return {};
  }

  void begin(std::string& out) const override {
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (k) out += o_.delimiter;
      field(columns_[k], out);
    }
    out += '\n';
  }

  void write(const OwnedObject& object, std::string& out) const override {
    std::string joined;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (k) out += o_.delimiter;
      const std::string& c = columns_[k];
      if (c == o_.anchor) {
        field(object.anchor, out);
      } else if (c == o_.dn_column) {
        field(object.dn, out);
      } else if (c == o_.object_type_column) {
        field(object.object_type, out);
      } else if (c == o_.change_type_column) {
        // a full-state file: no change kind
      } else if (const OwnedAttribute* a = object.find(c, o_)) {
        joined.clear();
        for (std::size_t v = 0; v < a->values.size(); ++v) {
          if (v) joined += o_.multi_value_separator;
          joined += a->type == IDSYNC_VALUE_BINARY ? encode_base64(a->values[v]) : a->values[v];
        }
        field(joined, out);
      }
    }
    out += '\n';
  }

 private:
  void field(std::string_view text, std::string& out) const {
    const bool quote =
        text.find_first_of(std::string{o_.delimiter, '"', '\r', '\n'}) != std::string_view::npos;
    if (!quote) {
      out.append(text);
      return;
    }
    out += '"';
    for (char c : text) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }

  FormatOptions o_;
  std::vector<std::string> columns_;
};

}  // namespace

std::unique_ptr<ObjectWriter> make_csv_writer(const FormatOptions& options,
                                              const std::vector<std::string>& columns) {
  return std::make_unique<CsvWriter>(options, columns);
}

}  // namespace idsync::file
