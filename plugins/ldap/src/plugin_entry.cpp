// The plugin's only exported symbol: idsync_plugin_entry_v1, describing connector types
// "ldap.ad" and "ldap.generic".
#include "ldap_connector.hpp"

IDSYNC_PLUGIN("ldap", "0.1.0", idsync::sdk::connector_type<idsync::ldap::AdConnector>(),
              idsync::sdk::connector_type<idsync::ldap::GenericLdapConnector>())
