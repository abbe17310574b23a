// Internal: turning the JSON of rule files into the model, one reader per part of a rule. Each
// reader appends a manifest::Diagnostic for every problem and returns what it could read, so
// that the caller can go on and report the rest of the file too.
#ifndef IDSYNC_SYNC_RULES_READERS_HPP
#define IDSYNC_SYNC_RULES_READERS_HPP

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/diagnostics.hpp"
#include "sync_rules/loader.hpp"
#include "sync_rules/rule.hpp"

namespace idsync::sync_rules::detail {

using Problems = std::vector<manifest::Diagnostic>;

// The enumerator whose spelling (in the matching *_names() list of rule.hpp) is `name`; the
// caller has checked that `name` is in the list.
template <typename Enum>
Enum enum_named(const std::vector<std::string_view>& names, std::string_view name) {
  std::size_t i = 0;
  while (i < names.size() && names[i] != name) ++i;
  return static_cast<Enum>(i);
}

// A rule as read, with which of the fields the cross-file checks need were valid.
struct ReadRule {
  SyncRule rule;
  bool has_name = false;
  bool has_direction = false;
  bool has_precedence = false;
};

// Every rule of one file's text (`file` is only recorded in SyncRule::file).
std::vector<ReadRule> read_rule_file(std::string_view text, const std::string& file,
                                     const LoadOptions& options, Problems& problems);

ReadRule read_rule(const boost::json::object& object, const std::string& path,
                   const LoadOptions& options, Problems& problems);

ScopingFilter read_scoping(const boost::json::value& value, const std::string& path,
                           Problems& problems);

std::vector<JoinGroup> read_join(const boost::json::value& value, const std::string& path,
                                 Problems& problems);

std::vector<Transformation> read_transformations(const boost::json::value& value,
                                                 const std::string& path,
                                                 const LoadOptions& options, Problems& problems);

// The groups-of-conditions shape shared by scoping and join: an array of non-empty arrays of
// objects. Walks it in document order, calling `start_group()` for each well-formed group and
// then `condition(object, path)` for each of its condition objects; reports every other shape
// at its path ("expected an array of condition groups, found ...").
void for_each_condition(
    const boost::json::value& value, const std::string& path, Problems& problems,
    const std::function<void()>& start_group,
    const std::function<void(const boost::json::object&, const std::string&)>& condition);

}  // namespace idsync::sync_rules::detail

#endif  // IDSYNC_SYNC_RULES_READERS_HPP
