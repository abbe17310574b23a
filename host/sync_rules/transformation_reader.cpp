#include <utility>

#include "manifest/json_access.hpp"
#include "manifest/json_path.hpp"
#include "sync_rules/ascii.hpp"
#include "sync_rules/readers.hpp"

namespace idsync::sync_rules::detail {

namespace json = boost::json;
using manifest::Need;

namespace {

// The field each flow takes; the other two are not allowed.
std::string_view own_field(FlowType flow) {
  switch (flow) {
    case FlowType::kDirect:
      return "source";
    case FlowType::kConstant:
      return "value";
    case FlowType::kExpression:
      return "expression";
    case FlowType::kTransform:
      return "transform";
  }
  return "";
}

// A constant: one string, or a non-empty array of strings for a multi-valued target.
std::vector<std::string> read_constant(manifest::ObjectReader& r, Problems& problems) {
  const json::value* v = r.find("value", Need::kRequired);
  if (!v) return {};
  if (v->is_string()) return {std::string(v->get_string())};
  if (!v->is_array()) {
    r.error("value", manifest::expected_found("a string or an array of strings", *v));
    return {};
  }
  const json::array& a = v->get_array();
  if (a.empty()) {
    r.error("value", "expected at least one value, found an empty array");
    return {};
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_string())
      out.emplace_back(a[i].get_string());
    else
      problems.push_back({manifest::index_path(r.path_of("value"), i),
                          manifest::expected_found("a string", a[i])});
  }
  return out;
}

Transformation read_one(const json::object& object, const std::string& path,
                        const LoadOptions& options, Problems& problems) {
  manifest::ObjectReader r(
      object, path,
      {"flow", "target", "source", "value", "expression", "transform", "apply_once", "merge"},
      problems);
  Transformation t;
  const auto flow = r.one_of("flow", flow_type_names(), Need::kRequired);
  if (flow && *flow == "transform") {
    if (r.find("target"))
      r.error("target",
              "not used by a \"transform\" flow: the transform names the attributes "
              "it sets");
  } else if (auto target = r.name("target", Need::kRequired)) {
    t.target = *target;
  }
  if (auto once = r.boolean("apply_once")) t.apply_once = *once;
  if (auto merge = r.one_of("merge", merge_mode_names()))
    t.merge = enum_named<MergeMode>(merge_mode_names(), *merge);
  if (!flow) return t;  // which of source/value/expression belong is unknown

  t.flow = enum_named<FlowType>(flow_type_names(), *flow);
  for (std::string_view field : {"source", "value", "expression", "transform"}) {
    if (field != own_field(t.flow) && r.find(field))
      r.error(field, "not used by a \"" + *flow + "\" flow, which takes \"" +
                         std::string(own_field(t.flow)) + "\"");
  }
  switch (t.flow) {
    case FlowType::kDirect:
      if (auto s = r.name("source", Need::kRequired)) t.source = *s;
      break;
    case FlowType::kConstant:
      t.values = read_constant(r, problems);
      break;
    case FlowType::kExpression:
      if (auto e = r.name("expression", Need::kRequired)) {
        t.expression = *e;
        if (options.check_expression) {
          if (auto problem = options.check_expression(t.expression))
            r.error("expression",
                    "column " + std::to_string(problem->column) + ": " + problem->message);
        }
      }
      break;
    case FlowType::kTransform:
      if (auto n = r.name("transform", Need::kRequired)) {
        t.transform = *n;
        if (options.check_transform)
          if (auto problem = options.check_transform(t.transform)) r.error("transform", *problem);
      }
      break;
  }
  return t;
}

}  // namespace

std::vector<Transformation> read_transformations(const json::value& value, const std::string& path,
                                                 const LoadOptions& options, Problems& problems) {
  std::vector<Transformation> out;
  if (!value.is_array()) {
    problems.push_back({path, manifest::expected_found("an array of transformations", value)});
    return out;
  }
  const json::array& items = value.get_array();
  // Where each target was first set, so a second flow into it names the first.
  std::vector<std::pair<std::string, std::string>> targets;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item_path = manifest::index_path(path, i);
    if (!items[i].is_object()) {
      problems.push_back({item_path, manifest::expected_found("an object", items[i])});
      continue;
    }
    Transformation t = read_one(items[i].get_object(), item_path, options, problems);
    if (!t.target.empty()) {
      bool duplicate = false;
      for (const auto& [target, where] : targets) {
        if (iequal(target, t.target)) {
          // Two flows into one attribute of one rule have no precedence between them.
          problems.push_back({manifest::member_path(item_path, "target"),
                              "\"" + t.target + "\" is already the target of " + where});
          duplicate = true;
          break;
        }
      }
      if (!duplicate) targets.emplace_back(t.target, manifest::index_path("transformations", i));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace idsync::sync_rules::detail
