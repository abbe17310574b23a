#include "change_type.hpp"

#include "format_options.hpp"

namespace idsync::file {

std::optional<idsync_change> parse_change_word(std::string_view word) {
  if (word.empty() || iequals(word, "state")) return IDSYNC_CHANGE_STATE;
  if (iequals(word, "add")) return IDSYNC_CHANGE_ADD;
  if (iequals(word, "update")) return IDSYNC_CHANGE_UPDATE;
  if (iequals(word, "delete")) return IDSYNC_CHANGE_DELETE;
  return std::nullopt;
}

std::string_view change_word(idsync_change change) {
  switch (change) {
    case IDSYNC_CHANGE_ADD:
      return "add";
    case IDSYNC_CHANGE_UPDATE:
      return "update";
    case IDSYNC_CHANGE_DELETE:
      return "delete";
    default:
      return "state";
  }
}

}  // namespace idsync::file
