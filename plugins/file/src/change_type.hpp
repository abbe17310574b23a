// The change kind a record carries in a change file ("add", "update", "delete", "state"), the
// same words for the CSV change type column and the JSONL "_change" key.
#pragma once

#include <idsync/plugin_abi.h>

#include <optional>
#include <string_view>

namespace idsync::file {

// Case-insensitive; an empty text means "state". nullopt for an unknown word.
std::optional<idsync_change> parse_change_word(std::string_view word);

std::string_view change_word(idsync_change change);

}  // namespace idsync::file
