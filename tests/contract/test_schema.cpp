// get_schema, and whether what a full import pushes is what the schema declares.
#include <idsync/plugin_abi.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "contract/harness.hpp"
#include "contract/hook_checks.hpp"
#include "contract/import_runs.hpp"
#include "contract/text.hpp"
#include "contract/value_format.hpp"

namespace idsync::contract {
namespace {

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> schema_problems(const std::vector<SchemaObjectType>& types) {
  std::vector<std::string> out;
  std::set<std::string> type_names;
  for (const SchemaObjectType& t : types) {
    const std::string where = "object type \"" + t.name + "\"";
    if (t.name.empty()) out.push_back("an object type without a name");
    if (!is_valid_utf8(t.name)) out.push_back(where + ": name is not valid UTF-8");
    if (!type_names.insert(t.name).second) out.push_back(where + " reported twice");
    if (t.anchor_attribute.empty()) out.push_back(where + " has no anchor attribute");
    std::set<std::string> attr_names;
    for (const SchemaAttr& a : t.attributes) {
      const std::string attr = where + " attribute \"" + a.name + "\"";
      if (a.name.empty()) out.push_back(where + ": an attribute without a name");
      if (!is_valid_utf8(a.name)) out.push_back(attr + ": name is not valid UTF-8");
      // The host compares attribute names ignoring case (as LDAP does).
      if (!attr_names.insert(lower(a.name)).second)
        out.push_back(attr + " declared twice (names compare ignoring case)");
      if (!is_known_value_type(a.type))
        out.push_back(attr + " has undefined value type " + std::to_string(a.type));
      const uint32_t known = IDSYNC_ATTRINFO_MULTIVALUED | IDSYNC_ATTRINFO_REQUIRED |
                             IDSYNC_ATTRINFO_READONLY | IDSYNC_ATTRINFO_SECRET |
                             IDSYNC_ATTRINFO_ANCHOR_FROM_ADD;
      if (a.flags & ~known) out.push_back(attr + " has undefined flags " + std::to_string(a.flags));
      // READONLY is imported and never exported, SECRET exported and never imported.
      if ((a.flags & IDSYNC_ATTRINFO_READONLY) && (a.flags & IDSYNC_ATTRINFO_SECRET))
        out.push_back(attr + " is both READONLY and SECRET: nothing could ever write or read it");
      // Only an attribute an ADD carries can name the anchor the ADD is filed under.
      if (a.flags & IDSYNC_ATTRINFO_ANCHOR_FROM_ADD) {
        if (lower(a.name) != lower(t.anchor_attribute))
          out.push_back(attr + " is ANCHOR_FROM_ADD but not the anchor attribute");
        if (a.flags & (IDSYNC_ATTRINFO_READONLY | IDSYNC_ATTRINFO_SECRET))
          out.push_back(attr + " is ANCHOR_FROM_ADD and READONLY or SECRET: no ADD carries it");
      }
    }
  }
  return out;
}

std::string canonical_schema(const std::vector<SchemaObjectType>& types) {
  std::string out;
  for (const SchemaObjectType& t : types) {
    out += t.name + "|" + t.anchor_attribute + "{";
    for (const SchemaAttr& a : t.attributes)
      out += a.name + ":" + std::to_string(a.type) + ":" + std::to_string(a.flags) + ",";
    out += "}";
  }
  return out;
}

}  // namespace

TEST_CASE("schema: object types and attributes are well-formed", "[instance][schema]") {
  auto h = Harness::open("schema");
  if (!h) return;
  auto instance = h->create();
  const std::vector<SchemaObjectType> types = h->schema(*instance);
  REQUIRE_FALSE(types.empty());
  const std::vector<std::string> problems = schema_problems(types);
  {
    INFO("schema problems:" << lines(problems));
    CHECK(problems.empty());
  }
  for (const std::string& selected : h->spec().object_types) {
    INFO("the connector config selects object type \"" << selected
                                                       << "\", which the schema does not report");
    CHECK(std::any_of(types.begin(), types.end(),
                      [&](const SchemaObjectType& t) { return t.name == selected; }));
  }
  // The host reads the schema whenever it plans attribute flows; it must not drift between
  // calls on an unchanged system.
  const std::vector<SchemaObjectType> again = h->schema(*instance);
  CHECK(canonical_schema(again) == canonical_schema(types));
}

TEST_CASE("full import: objects match the schema", "[instance][schema][import]") {
  auto h = Harness::open("full import against the schema");
  if (!h) return;
  auto instance = h->create();
  const std::vector<SchemaObjectType> types = h->schema(*instance);
  const std::vector<ImportedObject> objects = complete_full_import(*instance, 1000);

  std::vector<std::string> problems;
  for (const ImportedObject& o : objects) {
    const SchemaObjectType* type = nullptr;
    for (const SchemaObjectType& t : types)
      if (t.name == o.object_type) type = &t;
    if (!type) {
      problems.push_back(describe(o) + ": object type not in the schema");
      continue;
    }
    for (const ImportedAttr& a : o.attributes) {
      const std::string attr = describe(o) + " attribute \"" + a.name + "\"";
      const SchemaAttr* declared = nullptr;
      for (const SchemaAttr& s : type->attributes)
        if (lower(s.name) == lower(a.name)) declared = &s;
      if (!declared) {
        problems.push_back(attr + " is not declared in the schema");
        continue;
      }
      if (declared->flags & IDSYNC_ATTRINFO_SECRET) {
        // The values are not shown: the host must never see them, and neither may this log.
        problems.push_back(attr + " is declared SECRET (write-only) but was imported");
        continue;
      }
      if (declared->type != a.type)
        problems.push_back(attr + " has value type " + value_type_name(a.type) +
                           ", the schema declares " + value_type_name(declared->type));
      if (!(declared->flags & IDSYNC_ATTRINFO_MULTIVALUED) && a.values.size() > 1)
        problems.push_back(attr + " has " + std::to_string(a.values.size()) +
                           " values, but the schema declares it single-valued");
    }
    // "the attribute the anchor comes from": when the object carries it, the anchor is its
    // value, or the host's join by anchor and the admin's view of the object disagree.
    for (const ImportedAttr& a : o.attributes)
      if (lower(a.name) == lower(type->anchor_attribute) &&
          std::find(a.values.begin(), a.values.end(), o.anchor) == a.values.end())
        problems.push_back(describe(o) + ": the anchor is not a value of its anchor attribute \"" +
                           a.name + "\"");
  }
  INFO("full import vs schema:" << lines(problems));
  CHECK(problems.empty());
}

}  // namespace idsync::contract
