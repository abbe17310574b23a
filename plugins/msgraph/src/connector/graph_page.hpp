// One page of a Graph collection: its objects and the link onward (@odata.nextLink) or, at the
// end of a delta round, the link of the next round (@odata.deltaLink).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/graph_client.hpp"

namespace idsync::msgraph {

struct GraphPage {
  boost::json::array objects;
  std::string next_link;   // empty on the last page
  std::string delta_link;  // the last page of a delta round
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Reads the page at `path_or_url` (a path under the Graph base or a link the service gave).
// A refused request throws read_failure's error naming `what`; a body that is not a Graph
// collection throws a retryable CONNECTION error (a proxy's page, a cut answer).
GraphPage read_page(GraphClient& graph, std::string_view path_or_url, std::string_view what,
                    const Headers& headers = {});

// The header that sets the page size of a delta read ($top does not apply to delta).
Headers page_size_header(uint32_t page_size);

}  // namespace idsync::msgraph
