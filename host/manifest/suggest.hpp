// "did you mean" hints for typos in keys and enumerated values.
#ifndef IDSYNC_MANIFEST_SUGGEST_HPP
#define IDSYNC_MANIFEST_SUGGEST_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::manifest {

// Edits (insert, delete, substitute, swap two adjacent characters) that turn `a` into `b`,
// ignoring ASCII case: a swap is one edit because it is the most common typing slip.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` within 2 edits, or nothing. A candidate is only offered when
// the distance is below the length of the longer word, so "x" never suggests "id". Ties go to
// the earliest candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates);

// `; did you mean "x"?` for the closest match, or "" when there is none.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_SUGGEST_HPP
