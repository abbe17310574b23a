#include "object_writer.hpp"

#include <charconv>

#include "change_writer.hpp"
#include "source_error.hpp"
#include "utf8.hpp"
#include "writer_support.hpp"

namespace idsync::file {

std::string check_text_value(const OwnedAttribute& attr, const std::string& value) {
  switch (attr.type) {
    case IDSYNC_VALUE_BINARY:
      return {};
    case IDSYNC_VALUE_INTEGER: {
      int64_t n;
      auto r = std::from_chars(value.data(), value.data() + value.size(), n, 10);
      // Canonical decimal only ("007" is not valid JSON and would not read back the same).
      if (value.empty() || r.ec != std::errc() || r.ptr != value.data() + value.size() ||
          std::to_string(n) != value)
        return "attribute " + attr.name + " is an integer but " + quoted(value) + " is not one";
      return {};
    }
    case IDSYNC_VALUE_BOOLEAN:
      if (value != "true" && value != "false")
        return "attribute " + attr.name + " is a boolean but " + quoted(value) +
               " is not true or false";
      return {};
    default:
      if (!is_valid_utf8(value)) return "a value of " + attr.name + " is not UTF-8 text";
      return {};
  }
}

std::string quote_for_message(std::string_view s) { return quoted(s); }

std::unique_ptr<ObjectWriter> make_writer(const FormatOptions& options,
                                          const std::vector<std::string>& columns) {
  switch (options.format) {
    case Format::csv:
      return make_csv_writer(options, columns);
    case Format::ldif:
      return make_ldif_writer(options);
    case Format::jsonl:
      return make_jsonl_writer(options);
  }
  return nullptr;
}

std::unique_ptr<ChangeWriter> make_change_writer(const FormatOptions& options) {
  switch (options.format) {
    case Format::csv:
      return nullptr;
    case Format::ldif:
      return make_ldif_change_writer(options);
    case Format::jsonl:
      return make_jsonl_change_writer(options);
  }
  return nullptr;
}

}  // namespace idsync::file
