// The plugin's only exported symbol: idsync_plugin_entry_v1, describing connector type
// "msgraph".
#include "graph_connector.hpp"

IDSYNC_PLUGIN("msgraph", "0.1.0", idsync::sdk::connector_type<idsync::msgraph::GraphConnector>())
