// An example vendor connector, built against the idsync SDK alone: the objects it "imports" are
// written in the manifest, one per list item, as "anchor;attribute=value;attribute=value".
// It shows the whole shape of a connector: a spec with documented config fields, a schema,
// a paged full import with checkpoints and an honest all-results-returned.
#include <idsync/sdk.hpp>
#include <string>
#include <vector>

namespace {

class InlineConnector : public idsync::sdk::Connector {
 public:
  static idsync::sdk::ConnectorSpec spec() {
    return {
        "example.inline",
        "Inline objects",
        "Objects listed in the manifest; an example of a connector built with the idsync SDK",
        IDSYNC_CAP_TEST_CONNECTION,
        {{"objects", IDSYNC_CONFIG_STRING_LIST, IDSYNC_CONFIG_REQUIRED, nullptr,
          "One object per item: \"anchor;attribute=value;...\""},
         {"object_type", IDSYNC_CONFIG_STRING, 0, "\"person\"", "Object type of every object"}}};
  }

  InlineConnector(const idsync::sdk::Config& config, const idsync::sdk::CreateContext&)
      : objects_(config.list("objects")), object_type_(config.string("object_type", "person")) {
    for (size_t i = 0; i < objects_.size(); ++i)
      if (objects_[i].empty() || objects_[i][0] == ';')
        throw idsync::sdk::Error(IDSYNC_ERR_CONFIG,
                                 "objects[" + std::to_string(i) + "]: starts with no anchor");
  }

  void test_connection() override {}

  void schema(idsync::sdk::SchemaWriter& out) override {
    std::vector<idsync::sdk::AttrSpec> attrs{
        {"anchor", IDSYNC_VALUE_STRING, IDSYNC_ATTRINFO_READONLY}};
    for (const auto& o : objects_)
      for (const auto& [name, value] : split(o).second) {
        bool known = false;
        for (const auto& a : attrs) known = known || a.name == name;
        if (!known) attrs.push_back({name, IDSYNC_VALUE_STRING, IDSYNC_ATTRINFO_MULTIVALUED});
      }
    out.object_type(object_type_, "anchor", attrs);
  }

  void full_import(const idsync::sdk::ImportRequest& request,
                   idsync::sdk::ImportWriter& out) override {
    // The checkpoint is the index of the next object.
    size_t i = request.checkpoint.empty() ? 0 : std::stoul(request.checkpoint);
    size_t in_page = 0;
    for (; i < objects_.size(); ++i) {
      const auto [anchor, attrs] = split(objects_[i]);
      out.begin(IDSYNC_CHANGE_STATE, object_type_, anchor, {},
                "objects[" + std::to_string(i) + "]");
      out.attr("anchor", std::string_view(anchor));
      // "mail=a;mail=b" is one attribute with two values.
      std::vector<std::pair<std::string, std::vector<std::string>>> grouped;
      for (const auto& [name, value] : attrs) {
        auto it = grouped.begin();
        while (it != grouped.end() && it->first != name) ++it;
        if (it == grouped.end()) it = grouped.insert(it, {name, {}});
        it->second.push_back(value);
      }
      for (const auto& [name, values] : grouped) out.attr(name, values);
      out.end();
      if (++in_page == request.page_size) {
        out.page(std::to_string(i + 1));
        in_page = 0;
      }
    }
    out.finish(true, "");
  }

 private:
  using Attrs = std::vector<std::pair<std::string, std::string>>;
  static std::pair<std::string, Attrs> split(const std::string& item) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t semi; (semi = item.find(';', start)) != std::string::npos; start = semi + 1)
      parts.push_back(item.substr(start, semi - start));
    parts.push_back(item.substr(start));
    Attrs attrs;
    for (size_t p = 1; p < parts.size(); ++p) {
      const size_t eq = parts[p].find('=');
      if (eq != std::string::npos)
        attrs.emplace_back(parts[p].substr(0, eq), parts[p].substr(eq + 1));
    }
    return {parts[0], attrs};
  }

  std::vector<std::string> objects_;
  std::string object_type_;
};

}  // namespace

IDSYNC_PLUGIN("inline-connector", "1.0.0", idsync::sdk::connector_type<InlineConnector>())
