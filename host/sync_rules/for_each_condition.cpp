#include "manifest/json_access.hpp"
#include "manifest/json_path.hpp"
#include "sync_rules/readers.hpp"

namespace idsync::sync_rules::detail {

namespace json = boost::json;

void for_each_condition(
    const json::value& value, const std::string& path, Problems& problems,
    const std::function<void()>& start_group,
    const std::function<void(const json::object&, const std::string&)>& condition) {
  if (!value.is_array()) {
    problems.push_back({path, manifest::expected_found("an array of condition groups", value)});
    return;
  }
  const json::array& groups = value.get_array();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string group_path = manifest::index_path(path, g);
    if (!groups[g].is_array()) {
      problems.push_back(
          {group_path, manifest::expected_found("an array of conditions", groups[g])});
      continue;
    }
    const json::array& conditions = groups[g].get_array();
    // An empty group would hold vacuously; that is never what an admin meant.
    if (conditions.empty()) {
      problems.push_back({group_path, "expected at least one condition, found an empty group"});
      continue;
    }
    start_group();
    for (std::size_t c = 0; c < conditions.size(); ++c) {
      const std::string condition_path = manifest::index_path(group_path, c);
      if (!conditions[c].is_object()) {
        problems.push_back(
            {condition_path, manifest::expected_found("a condition object", conditions[c])});
        continue;
      }
      condition(conditions[c].get_object(), condition_path);
    }
  }
}

}  // namespace idsync::sync_rules::detail
