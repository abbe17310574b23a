// The plugin's only exported symbol: idsync_plugin_entry_v1, describing connector type "file".
#include "file_connector.hpp"

IDSYNC_PLUGIN("file", "0.1.0", idsync::sdk::connector_type<idsync::file::FileConnector>())
