#include "contract/import_model.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "contract/text.hpp"

namespace idsync::contract {

namespace {

// Length-prefixed, so that no choice of bytes in a value can make two different records
// serialise the same.
void put(std::string& out, const std::string& s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

}  // namespace

const ImportedAttr* ImportedObject::find(const std::string& name) const {
  for (const ImportedAttr& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::string canonical(const ImportedObject& object) {
  std::vector<std::string> attrs;
  for (const ImportedAttr& a : object.attributes) {
    std::vector<std::string> values = a.values;
    std::sort(values.begin(), values.end());
    std::string one;
    put(one, a.name);
    one += std::to_string(a.type) + "/" + std::to_string(a.op) + "[";
    for (const std::string& v : values) put(one, v);
    one += "]";
    attrs.push_back(std::move(one));
  }
  std::sort(attrs.begin(), attrs.end());
  std::string out = std::to_string(object.change) + "|";
  put(out, object.object_type);
  put(out, object.anchor);
  put(out, object.dn);
  for (const std::string& a : attrs) out += a;
  return out;
}

std::string change_name(idsync_change change) {
  switch (change) {
    case IDSYNC_CHANGE_STATE:
      return "STATE";
    case IDSYNC_CHANGE_ADD:
      return "ADD";
    case IDSYNC_CHANGE_UPDATE:
      return "UPDATE";
    case IDSYNC_CHANGE_DELETE:
      return "DELETE";
  }
  return "undefined change " + std::to_string(change);
}

std::string describe(const ImportedObject& object) {
  return change_name(object.change) + " " + object.object_type + " " + printable(object.anchor);
}

std::vector<std::string> duplicate_anchors(const std::vector<ImportedObject>& objects) {
  std::map<std::string, int> count;
  for (const ImportedObject& o : objects) ++count[o.anchor];
  std::vector<std::string> out;
  for (const auto& [anchor, n] : count)
    if (n > 1) out.push_back(printable(anchor) + " (" + std::to_string(n) + " times)");
  return out;
}

namespace {

std::string values_text(const ImportedAttr& a) {
  std::vector<std::string> values = a.values;
  std::sort(values.begin(), values.end());
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + printable(values[i]);
  return out + "]";
}

// What differs between two records of one anchor, e.g. `attribute "mail": ["a"] vs ["b"]`.
std::string difference(const ImportedObject& want, const ImportedObject& got) {
  std::vector<std::string> parts;
  if (want.change != got.change)
    parts.push_back("change " + change_name(want.change) + " vs " + change_name(got.change));
  if (want.object_type != got.object_type)
    parts.push_back("object type " + printable(want.object_type) + " vs " +
                    printable(got.object_type));
  if (want.dn != got.dn) parts.push_back("dn " + printable(want.dn) + " vs " + printable(got.dn));
  std::set<std::string> names;
  for (const ImportedAttr& a : want.attributes) names.insert(a.name);
  for (const ImportedAttr& a : got.attributes) names.insert(a.name);
  for (const std::string& name : names) {
    const ImportedAttr* w = want.find(name);
    const ImportedAttr* g = got.find(name);
    if (!w) {
      parts.push_back("extra attribute \"" + name + "\" " + values_text(*g));
    } else if (!g) {
      parts.push_back("missing attribute \"" + name + "\" " + values_text(*w));
    } else if (w->type != g->type || w->op != g->op) {
      parts.push_back("attribute \"" + name + "\" type/op " + std::to_string(w->type) + "/" +
                      std::to_string(w->op) + " vs " + std::to_string(g->type) + "/" +
                      std::to_string(g->op));
    } else if (values_text(*w) != values_text(*g)) {
      parts.push_back("attribute \"" + name + "\" " + values_text(*w) + " vs " + values_text(*g));
    }
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out.empty() ? "attributes repeated differently" : out;
}

}  // namespace

std::string compare_objects(const std::vector<ImportedObject>& expected,
                            const std::vector<ImportedObject>& actual, std::size_t max_lines) {
  // Grouped by anchor so that a report says "object X: attribute mail differs" rather than
  // "one record missing, one extra".
  std::map<std::string, std::vector<const ImportedObject*>> want;
  std::map<std::string, std::vector<const ImportedObject*>> got;
  for (const ImportedObject& o : expected) want[o.anchor].push_back(&o);
  for (const ImportedObject& o : actual) got[o.anchor].push_back(&o);

  std::set<std::string> anchors;
  for (const auto& [a, _] : want) anchors.insert(a);
  for (const auto& [a, _] : got) anchors.insert(a);
  std::vector<std::string> lines;
  for (const std::string& anchor : anchors) {
    const auto w = want.find(anchor);
    const auto g = got.find(anchor);
    const std::size_t nw = w == want.end() ? 0 : w->second.size();
    const std::size_t ng = g == got.end() ? 0 : g->second.size();
    if (nw == 0) {
      lines.push_back("unexpected object " + describe(*g->second.front()) +
                      (ng > 1 ? " (" + std::to_string(ng) + " times)" : ""));
    } else if (ng == 0) {
      lines.push_back("missing object " + describe(*w->second.front()));
    } else if (ng != nw) {
      lines.push_back("object " + printable(anchor) + " seen " + std::to_string(ng) +
                      " times, expected " + std::to_string(nw));
    } else {
      std::multiset<std::string> cw;
      std::multiset<std::string> cg;
      for (const ImportedObject* o : w->second) cw.insert(canonical(*o));
      for (const ImportedObject* o : g->second) cg.insert(canonical(*o));
      if (cw != cg)
        lines.push_back("object " + printable(anchor) + " differs (expected vs seen): " +
                        difference(*w->second.front(), *g->second.front()));
    }
  }
  if (lines.empty()) return {};
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i) out += lines[i] + "\n";
  if (lines.size() > max_lines)
    out += "... and " + std::to_string(lines.size() - max_lines) + " more differences\n";
  return out;
}

}  // namespace idsync::contract
