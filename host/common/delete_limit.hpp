// A limit on how many objects one step may delete: a count of objects, or a percentage of the
// objects there are ("50%"). A step goes over the limit when it would delete strictly more.
//
// Header-only: the manifest reads it and the importer applies it, and neither links the other.
#pragma once

#include <cstdint>
#include <string>

namespace idsync::common {

struct DeleteLimit {
  std::uint64_t value = 0;
  bool percent = false;  // value is a percentage (1..100) of the objects, not a count

  static constexpr DeleteLimit count(std::uint64_t objects) { return {objects, false}; }
  static constexpr DeleteLimit share(std::uint64_t percentage) { return {percentage, true}; }

  // The most deletes allowed among `objects`: a percentage rounds down, so "50%" of 3 objects
  // allows 1 and stops at 2.
  constexpr std::uint64_t allowed(std::uint64_t objects) const {
    if (!percent) return value;
    // floor(objects * value / 100), without the product overflowing.
    return objects / 100 * value + objects % 100 * value / 100;
  }

  // Whether deleting `deletes` of `objects` goes over the limit. An empty set of objects
  // never does: there is nothing to lose.
  constexpr bool exceeded_by(std::uint64_t deletes, std::uint64_t objects) const {
    return objects > 0 && deletes > allowed(objects);
  }

  // As the manifest spells it: "50%" or "120".
  std::string to_string() const { return std::to_string(value) + (percent ? "%" : ""); }

  constexpr bool operator==(const DeleteLimit&) const = default;
};

// A source that suddenly returns half its objects less is far more often broken (an emptied
// file, a filter that went wrong, a permission lost) than emptied on purpose.
inline constexpr DeleteLimit kDefaultFullImportDeleteLimit = DeleteLimit::share(50);

}  // namespace idsync::common
