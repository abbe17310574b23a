// Streams the records of one family whose keys start with a prefix, in key order. The sync
// families keep one connector's (or one MV object's) records under a common prefix, so this is
// how a step reads "all of X" without loading it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

// `visit(suffix, value)` gets the key minus the prefix and the value, both valid only during
// the call, and returns false to stop. A family missing from a read-only store yields nothing.
void scan_prefix(const Store& store, Family family, std::string_view prefix,
                 const std::function<bool(std::string_view suffix, std::string_view value)>& visit);

// The same, starting after the key prefix + `after` (a seek, not a skip: resuming costs
// nothing for the keys before it).
void scan_prefix_after(
    const Store& store, Family family, std::string_view prefix, std::string_view after,
    const std::function<bool(std::string_view suffix, std::string_view value)>& visit);

// scan_prefix() for a family with a lookup prefix (lookup_prefixes.hpp), by exactly such a
// prefix: table files whose prefix filter says they hold none of it are not read.
void scan_lookup_prefix(
    const Store& store, Family family, std::string_view prefix,
    const std::function<bool(std::string_view suffix, std::string_view value)>& visit);

// scan_lookup_prefix() for each of `prefixes` (sorted, for seeks that only move forward), with
// one iterator: `visit(i, suffix, value)` gets the keys of prefixes[i], in prefix order, and
// returns false to stop the whole scan. For a batch of lookups known before they are needed.
void scan_lookup_prefixes(
    const Store& store, Family family, const std::vector<std::string_view>& prefixes,
    const std::function<bool(size_t i, std::string_view suffix, std::string_view value)>& visit);

// The smallest key greater than every key starting with `prefix`; empty when there is none
// (a prefix of 0xff bytes only).
std::string prefix_upper_bound(std::string_view prefix);

}  // namespace idsync::store
