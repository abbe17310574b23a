#include <cstdint>
#include <limits>

#include "manifest/json_access.hpp"
#include "sync_rules/readers.hpp"

namespace idsync::sync_rules::detail {

namespace json = boost::json;
using manifest::Need;

namespace {

std::string not_used_by(ScopeOperator op) { return "not used by " + std::string(to_string(op)); }

ScopeCondition read_condition(const json::object& object, const std::string& path,
                              Problems& problems) {
  manifest::ObjectReader r(object, path, {"attribute", "operator", "value"}, problems);
  ScopeCondition c;
  const auto op_name = r.one_of("operator", scope_operator_names(), Need::kRequired);
  if (!op_name) {
    // Without a valid operator the other keys cannot be judged beyond their type.
    r.name("attribute");
    return c;
  }
  c.op = enum_named<ScopeOperator>(scope_operator_names(), *op_name);

  if (takes_attribute(c.op)) {
    if (auto a = r.name("attribute", Need::kRequired)) c.attribute = *a;
  } else if (r.find("attribute")) {
    r.error("attribute", not_used_by(c.op) + ", which tests the object's group membership");
  }

  if (takes_bit_mask(c.op)) {
    if (auto mask =
            r.integer("value", 1, std::numeric_limits<std::int64_t>::max(), Need::kRequired)) {
      c.bit_mask = *mask;
      c.value = std::to_string(*mask);
    }
  } else if (takes_value(c.op)) {
    if (auto v = r.name("value", Need::kRequired)) c.value = *v;
  } else if (r.find("value")) {
    r.error("value", not_used_by(c.op));
  }
  return c;
}

}  // namespace

ScopingFilter read_scoping(const json::value& value, const std::string& path, Problems& problems) {
  ScopingFilter filter;
  for_each_condition(
      value, path, problems, [&] { filter.groups.emplace_back(); },
      [&](const json::object& object, const std::string& at) {
        filter.groups.back().conditions.push_back(read_condition(object, at, problems));
      });
  return filter;
}

}  // namespace idsync::sync_rules::detail
