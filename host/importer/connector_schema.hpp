// The host's reading of a connector's schema (get_schema): which attributes it declares SECRET
// (IDSYNC_ATTRINFO_SECRET, store/secret_attributes.hpp) and which object types file an ADD under
// its anchor attribute's value (IDSYNC_ATTRINFO_ANCHOR_FROM_ADD, store/add_named_anchors.hpp),
// kept in the store for the stages that call no connector.
//
// The import and export steps call refresh_secret_attributes() before they start, since only
// they have a live instance: the import so that the sync after it knows the secrets before it
// plans anything, the export so that it knows them for what it sends now. Reading the schema
// must not stop a step that worked before the flag existed: when get_schema fails (or the type
// lacks it, as test connectors do) a warning is logged and the secrets stored before are used.
#pragma once

#include <idsync/plugin_abi.h>

#include <string>
#include <vector>

#include "store/add_named_anchors.hpp"
#include "store/secret_attributes.hpp"
#include "store/store.hpp"

namespace idsync::importer {

// What get_schema reported that the host acts on.
struct SchemaSecrets {
  std::vector<std::string> names;  // attributes declared SECRET, as spelled, in any type
  // Object types whose ADD is filed under the anchor attribute's value, with that attribute.
  std::vector<store::AddNamedAnchors::Entry> add_named_anchors;
  // Declarations the host could not take as they are, for the log: an attribute both
  // READONLY and SECRET (taken as secret: a wrong mask hides a value, a wrong show leaks one),
  // structs smaller than ABI minor 0 (skipped).
  std::vector<std::string> problems;
};

// Calls the connector's get_schema. Returns false, with the reason in `error`, when the hook is
// missing or fails.
bool read_schema_secrets(const idsync_connector_type& type, idsync_connector* instance,
                         const std::string& connector_name, SchemaSecrets& out, std::string& error);

// Reads the schema and stores the secrets and the add-named anchors when they changed; returns
// the secrets to use. When the schema cannot be read, both records stay as they were.
// Store failures throw store::StoreError.
store::SecretAttributes refresh_secret_attributes(store::Store& store, uint32_t connector_id,
                                                  const std::string& connector_name,
                                                  const idsync_connector_type& type,
                                                  idsync_connector* instance);

}  // namespace idsync::importer
