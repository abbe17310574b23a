#include <cstdint>

#include "manifest/json_access.hpp"
#include "manifest/json_path.hpp"
#include "manifest/json_text.hpp"
#include "manifest/suggest.hpp"
#include "sync_rules/ascii.hpp"
#include "sync_rules/readers.hpp"

namespace idsync::sync_rules::detail {

namespace json = boost::json;
using manifest::Need;

namespace {

const std::vector<std::string_view> kRuleKeys{
    "name",           "description",     "disabled",      "direction",  "connector",
    "cs_object_type", "mv_object_type",  "link_type",     "precedence", "scoping",
    "join",           "transformations", "deprovisioning"};

// "deprovisioning": {"action": "delete"|"disconnect"|"update", "transformations": [...]}: only
// on outbound Provision rules (they are the ones that create target objects); transformations
// exactly with "update".
DeprovisioningRule read_deprovisioning(const json::value& value, const std::string& path,
                                       const SyncRule& rule, const LoadOptions& options,
                                       Problems& problems) {
  DeprovisioningRule out;
  if (!value.is_object()) {
    problems.push_back({path, manifest::expected_found("an object", value)});
    return out;
  }
  manifest::ObjectReader r(value.get_object(), path, {"action", "transformations"}, problems);
  if (rule.direction != Direction::kOutbound || rule.link_type != LinkType::kProvision) {
    problems.push_back({path, "only outbound Provision rules deprovision what they provisioned"});
    return out;
  }
  if (auto a = r.one_of("action", deprovision_action_names(), Need::kRequired))
    out.action = enum_named<DeprovisionAction>(deprovision_action_names(), *a);
  const json::value* t = r.find("transformations");
  if (out.action == DeprovisionAction::kUpdate && !t)
    r.error("transformations", "required with action \"update\": the values to set");
  else if (out.action != DeprovisionAction::kUpdate && t)
    r.error("transformations", "only used with action \"update\"");
  else if (t)
    out.transformations = read_transformations(*t, r.path_of("transformations"), options, problems);
  return out;
}

// The manifest's spelling of `name`, or a problem with did-you-mean.
void check_connector(manifest::ObjectReader& r, const std::vector<std::string>& known,
                     std::string& name) {
  for (const std::string& k : known) {
    if (iequal(k, name)) {
      name = k;
      return;
    }
  }
  const std::vector<std::string_view> candidates(known.begin(), known.end());
  std::string message = "unknown connector \"" + name + "\"";
  std::string hint = manifest::did_you_mean(name, candidates);
  if (!hint.empty()) {
    message += hint;
  } else if (known.empty()) {
    message += ": the manifest declares no connectors";
  } else {
    message += ": the manifest declares ";
    for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", \"" : "\"") + known[i] + "\"";
  }
  r.error("connector", message);
}

}  // namespace

ReadRule read_rule(const json::object& object, const std::string& path, const LoadOptions& options,
                   Problems& problems) {
  manifest::ObjectReader r(object, path, kRuleKeys, problems);
  ReadRule out;
  SyncRule& rule = out.rule;
  rule.path = path;
  if (auto name = r.name("name", Need::kRequired)) {
    rule.name = *name;
    out.has_name = true;
  }
  if (auto d = r.string("description")) rule.description = *d;
  if (auto d = r.boolean("disabled")) rule.disabled = *d;
  if (auto d = r.one_of("direction", direction_names(), Need::kRequired)) {
    rule.direction = enum_named<Direction>(direction_names(), *d);
    out.has_direction = true;
  }
  if (auto c = r.name("connector", Need::kRequired)) {
    rule.connector = *c;
    if (options.known_connectors) check_connector(r, *options.known_connectors, rule.connector);
  }
  if (auto t = r.name("cs_object_type", Need::kRequired)) rule.cs_object_type = *t;
  if (auto t = r.name("mv_object_type", Need::kRequired)) rule.mv_object_type = *t;
  if (auto t = r.one_of("link_type", link_type_names()))
    rule.link_type = enum_named<LinkType>(link_type_names(), *t);
  if (auto p = r.integer("precedence", 0, INT32_MAX, Need::kRequired)) {
    rule.precedence = *p;
    out.has_precedence = true;
  }
  if (const json::value* v = r.find("scoping")) {
    rule.scoping = read_scoping(*v, r.path_of("scoping"), problems);
    // Outbound scoping reads metaverse values; membership is a connector-space relation.
    if (out.has_direction && rule.direction == Direction::kOutbound)
      for (std::size_t g = 0; g < rule.scoping.groups.size(); ++g)
        for (std::size_t c = 0; c < rule.scoping.groups[g].conditions.size(); ++c) {
          const ScopeOperator op = rule.scoping.groups[g].conditions[c].op;
          if (op == ScopeOperator::kIsMemberOf || op == ScopeOperator::kIsNotMemberOf)
            problems.push_back(
                {manifest::index_path(manifest::index_path(r.path_of("scoping"), g), c) +
                     ".operator",
                 "ISMEMBEROF and ISNOTMEMBEROF test connector-space objects: they belong in "
                 "inbound rules"});
        }
  }
  if (const json::value* v = r.find("join")) rule.join = read_join(*v, r.path_of("join"), problems);
  if (const json::value* v = r.find("transformations"))
    rule.transformations =
        read_transformations(*v, r.path_of("transformations"), options, problems);
  if (const json::value* v = r.find("deprovisioning"))
    rule.deprovisioning =
        read_deprovisioning(*v, r.path_of("deprovisioning"), rule, options, problems);
  return out;
}

std::vector<ReadRule> read_rule_file(std::string_view text, const std::string& file,
                                     const LoadOptions& options, Problems& problems) {
  std::vector<ReadRule> out;
  const auto doc = manifest::parse_json_text(text, problems);
  if (!doc) return out;
  if (!doc->is_object()) {
    problems.push_back({"", manifest::expected_found(
                                "a rule object or {\"rules\": [...]} at the top level", *doc)});
    return out;
  }
  const json::object& top = doc->get_object();
  if (!top.contains("rules")) {
    out.push_back(read_rule(top, "", options, problems));
  } else {
    // A list file holds nothing but the list, so a stray rule key next to it is reported.
    manifest::ObjectReader r(top, "", {"rules"}, problems);
    if (const json::array* rules = r.array("rules")) {
      for (std::size_t i = 0; i < rules->size(); ++i) {
        const std::string path = manifest::index_path("rules", i);
        if (!(*rules)[i].is_object()) {
          problems.push_back({path, manifest::expected_found("a rule object", (*rules)[i])});
          continue;
        }
        out.push_back(read_rule((*rules)[i].get_object(), path, options, problems));
      }
    }
  }
  for (ReadRule& r : out) r.rule.file = file;
  return out;
}

}  // namespace idsync::sync_rules::detail
