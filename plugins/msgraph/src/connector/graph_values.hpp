// Graph JSON values ⇄ the host's text values: strings as they are, booleans as "true"/"false",
// numbers as their JSON text, arrays as one value per element, nested objects as JSON text.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "graph_schema.hpp"

namespace idsync::msgraph {

// The values of one property as the host stores them; null and empty arrays give none.
std::vector<std::string> values_of(const boost::json::value& value);

// The JSON a write sends for `values` of `property`: null for none, a boolean, a string, or
// an array for a multi-valued property. Throws sdk::Error(INVALID_VALUE) naming the property
// for a value its type cannot take ("yes" for a boolean, two values for a single one).
boost::json::value json_of(const Property& property, const std::vector<std::string>& values);

}  // namespace idsync::msgraph
