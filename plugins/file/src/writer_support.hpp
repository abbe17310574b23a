// Checks shared by the writers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "object.hpp"

namespace idsync::file {

class ObjectWriter;
class ChangeWriter;

// Why a value of this attribute cannot be written as text of its declared type, or "".
// INTEGER must be a decimal signed 64-bit number, BOOLEAN "true"/"false", the text types UTF-8;
// BINARY is always writable (it is base64-encoded).
std::string check_text_value(const OwnedAttribute& attr, const std::string& value);

std::string quote_for_message(std::string_view s);

std::unique_ptr<ObjectWriter> make_csv_writer(const FormatOptions& options,
                                              const std::vector<std::string>& columns);
std::unique_ptr<ObjectWriter> make_ldif_writer(const FormatOptions& options);
std::unique_ptr<ObjectWriter> make_jsonl_writer(const FormatOptions& options);
std::unique_ptr<ChangeWriter> make_ldif_change_writer(const FormatOptions& options);
std::unique_ptr<ChangeWriter> make_jsonl_change_writer(const FormatOptions& options);

}  // namespace idsync::file
