#include "model/filter_text.hpp"

#include <boost/json.hpp>

namespace idsync::scim {

std::string filter_string(std::string_view value) {
  return boost::json::serialize(boost::json::string(value));
}

std::string equals_filter(std::string_view attribute, std::string_view value) {
  return std::string(attribute) + " eq " + filter_string(value);
}

std::string modified_since_filter(std::string_view rfc3339) {
  return "meta.lastModified gt " + filter_string(rfc3339);
}

}  // namespace idsync::scim
