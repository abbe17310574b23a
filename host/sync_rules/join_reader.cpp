#include "manifest/json_access.hpp"
#include "sync_rules/readers.hpp"

namespace idsync::sync_rules::detail {

namespace json = boost::json;
using manifest::Need;

std::vector<JoinGroup> read_join(const json::value& value, const std::string& path,
                                 Problems& problems) {
  std::vector<JoinGroup> out;
  for_each_condition(
      value, path, problems, [&] { out.emplace_back(); },
      [&](const json::object& object, const std::string& at) {
        manifest::ObjectReader r(object, at, {"cs_attribute", "mv_attribute", "case_sensitive"},
                                 problems);
        JoinCondition c;
        if (auto a = r.name("cs_attribute", Need::kRequired)) c.cs_attribute = *a;
        if (auto a = r.name("mv_attribute", Need::kRequired)) c.mv_attribute = *a;
        if (auto b = r.boolean("case_sensitive")) c.case_sensitive = *b;
        out.back().conditions.push_back(std::move(c));
      });
  return out;
}

}  // namespace idsync::sync_rules::detail
