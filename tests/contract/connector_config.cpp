#include "contract/connector_config.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <stdexcept>

namespace idsync::contract {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

class Reader {
 public:
  explicit Reader(const fs::path& file) : file_(file) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw std::runtime_error(file_.string() + ": " + (path.empty() ? "" : path + ": ") + message);
  }

  // Unknown keys are mistakes: a misspelt "min_objets" would silently weaken the kit.
  void only_keys(const json::object& o, const std::string& path,
                 std::initializer_list<const char*> keys) const {
    for (const auto& [key, _] : o) {
      bool known = false;
      for (const char* k : keys) known = known || key == k;
      if (!known)
        fail(path.empty() ? std::string(key) : path + "." + std::string(key), "unknown key");
    }
  }

  std::string string(const json::value& v, const std::string& path) const {
    if (!v.is_string()) fail(path, "expected a string");
    return std::string(v.get_string());
  }

  std::vector<std::string> strings(const json::value& v, const std::string& path) const {
    // A single value may be written without brackets: "cn": "Test".
    if (v.is_string()) return {std::string(v.get_string())};
    if (!v.is_array()) fail(path, "expected a string or an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.get_array().size(); ++i)
      out.push_back(string(v.get_array()[i], path + "[" + std::to_string(i) + "]"));
    return out;
  }

  AttrValues attributes(const json::value& v, const std::string& path) const {
    if (!v.is_object()) fail(path, "expected an object of attribute name: values");
    AttrValues out;
    for (const auto& [name, values] : v.get_object()) {
      if (name.empty()) fail(path, "attribute names must not be empty");
      out.emplace_back(std::string(name), strings(values, path + "." + std::string(name)));
    }
    return out;
  }

 private:
  fs::path file_;
};

ExportSpec read_export(const Reader& r, const json::value& v) {
  if (!v.is_object()) r.fail("export", "expected an object");
  const json::object& o = v.get_object();
  r.only_keys(o, "export",
              {"object_type", "anchor", "dn", "attributes", "update", "confirm_by_import"});
  ExportSpec e;
  if (const auto* t = o.if_contains("object_type"))
    e.object_type = r.string(*t, "export.object_type");
  if (e.object_type.empty()) r.fail("export.object_type", "required, a non-empty string");
  if (const auto* a = o.if_contains("anchor")) e.anchor = r.string(*a, "export.anchor");
  if (const auto* d = o.if_contains("dn")) e.dn = r.string(*d, "export.dn");
  if (const auto* a = o.if_contains("attributes"))
    e.attributes = r.attributes(*a, "export.attributes");
  if (e.attributes.empty()) r.fail("export.attributes", "required, at least one attribute");
  if (const auto* u = o.if_contains("update")) e.update = r.attributes(*u, "export.update");
  if (const auto* c = o.if_contains("confirm_by_import")) {
    if (!c->is_bool()) r.fail("export.confirm_by_import", "expected true or false");
    e.confirm_by_import = c->get_bool();
  }
  return e;
}

}  // namespace

ConnectorConfigFile load_connector_config(const fs::path& file) {
  ConnectorConfigFile out;
  std::error_code ec;
  out.file = fs::absolute(file, ec).lexically_normal();
  out.folder = out.file.parent_path();
  const Reader r(file);

  std::ifstream in(file, std::ios::binary);
  if (!in) r.fail("", "cannot read the connector config file");
  std::ostringstream text;
  text << in.rdbuf();
  json::error_code jec;
  const json::value doc = json::parse(text.str(), jec);
  if (jec) r.fail("", "invalid JSON: " + jec.message());
  if (!doc.is_object()) r.fail("", "expected a JSON object (a connector entry)");
  const json::object& o = doc.get_object();
  r.only_keys(o, "", {"name", "type", "config", "object_types", "min_objects", "export"});

  if (const auto* v = o.if_contains("name")) out.name = r.string(*v, "name");
  if (out.name.empty()) r.fail("name", "must not be empty");
  if (const auto* v = o.if_contains("type")) out.type = r.string(*v, "type");
  if (const auto* v = o.if_contains("config")) {
    if (!v->is_object()) r.fail("config", "expected an object");
    out.config = v->get_object();
  }
  if (const auto* v = o.if_contains("object_types")) {
    if (!v->is_array()) r.fail("object_types", "expected an array of strings");
    out.object_types = r.strings(*v, "object_types");
  }
  if (const auto* v = o.if_contains("min_objects")) {
    if (!v->is_int64() || v->get_int64() < 1)
      r.fail("min_objects", "expected an integer of at least 1");
    out.min_objects = static_cast<std::size_t>(v->get_int64());
  }
  if (const auto* v = o.if_contains("export")) out.export_spec = read_export(r, *v);
  return out;
}

manifest::ConnectorDecl make_decl(const ConnectorConfigFile& spec, const fs::path& base_dir) {
  manifest::ConnectorDecl decl;
  decl.name = spec.name;
  decl.type = spec.type;
  decl.config = spec.config;
  // The config file is one connector entry, so its keys are top-level: messages read
  // "config.path: ..." and point straight at the file's line.
  decl.json_path = "";
  decl.object_types = spec.object_types;
  decl.base_dir = base_dir;
  return decl;
}

}  // namespace idsync::contract
