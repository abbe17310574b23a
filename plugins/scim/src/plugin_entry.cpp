// The plugin's only exported symbol: idsync_plugin_entry_v1, describing connector type "scim".
#include "connector/scim_connector.hpp"

IDSYNC_PLUGIN("scim", "0.1.0", idsync::sdk::connector_type<idsync::scim::ScimConnector>())
