// Errors about the content of an input file. Every one names the place as "file:line:" or
// "file:line:column:" (column = 1-based byte within the line), which is what an admin needs to
// fix the file, and is raised as IDSYNC_ERR_INVALID_VALUE: the host then discards the page in
// progress, so nothing from a bad page is staged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace idsync::file {

// The file name as shown in messages: the last path component. The connector's configuration
// already says which folder; the bare name keeps messages short and free of local layout.
std::string display_name(std::string_view path);

[[noreturn]] void throw_at(std::string_view file, uint64_t line, std::string_view message);
[[noreturn]] void throw_at(std::string_view file, uint64_t line, uint64_t column,
                           std::string_view message);

// Quotes a value for a message: printable ASCII and valid UTF-8 as is, other bytes as \xNN,
// cut after max_len bytes. Anchors may be binary (objectGUID) and must not garble the log.
std::string quoted(std::string_view value, std::size_t max_len = 80);

}  // namespace idsync::file
