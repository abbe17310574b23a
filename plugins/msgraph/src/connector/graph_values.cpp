#include "graph_values.hpp"

#include <idsync/sdk.hpp>

namespace idsync::msgraph {

namespace {

void append(const boost::json::value& v, std::vector<std::string>& out) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return;
    case boost::json::kind::string:
      out.emplace_back(v.get_string());
      return;
    case boost::json::kind::bool_:
      out.emplace_back(v.get_bool() ? "true" : "false");
      return;
    case boost::json::kind::array:
      for (const boost::json::value& item : v.get_array()) append(item, out);
      return;
    default:
      out.push_back(boost::json::serialize(v));
      return;
  }
}

sdk::Error bad_value(const Property& property, const std::string& why) {
  return sdk::Error(IDSYNC_ERR_INVALID_VALUE, "attribute " + property.name + ": " + why,
                    IDSYNC_ERROR);
}

boost::json::value one(const Property& property, const std::string& text) {
  if (property.type != IDSYNC_VALUE_BOOLEAN) return boost::json::string(text);
  if (text == "true" || text == "TRUE" || text == "True") return true;
  if (text == "false" || text == "FALSE" || text == "False") return false;
  throw bad_value(property, "\"" + text + "\" is not a boolean");
}

}  // namespace

std::vector<std::string> values_of(const boost::json::value& value) {
  std::vector<std::string> out;
  append(value, out);
  return out;
}

boost::json::value json_of(const Property& property, const std::vector<std::string>& values) {
  if (property.multi) {
    boost::json::array items;
    for (const std::string& v : values) items.push_back(one(property, v));
    return items;
  }
  if (values.empty()) return nullptr;
  if (values.size() > 1)
    throw bad_value(property, std::to_string(values.size()) + " values for a single-valued one");
  return one(property, values.front());
}

}  // namespace idsync::msgraph
