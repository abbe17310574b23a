// Hash maps and sets keyed by std::string that are looked up with a std::string_view, without
// making a std::string for each lookup (C++20's heterogeneous lookup). A sync batch looks up
// thousands of anchors and store keys that it holds as views into records it read; building a
// key string for each was a measurable share of a step's time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace idsync::common {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Erases `key` from a StringMap or StringSet (erase by a view comes only with C++23).
template <typename Container>
bool erase_key(Container& c, std::string_view key) {
  auto it = c.find(key);
  if (it == c.end()) return false;
  c.erase(it);
  return true;
}

}  // namespace idsync::common
