#include "store/schema_record.hpp"

namespace idsync::store {

CorruptRecord damaged_schema_record(const Store& store, uint32_t connector_id,
                                    std::string_view what, const CorruptRecord& cause) {
  return CorruptRecord("store " + store.path().string() + ": the " + std::string(what) +
                       " of connector id " + std::to_string(connector_id) + " are damaged (" +
                       cause.what() + "); an import or export of the connector writes them again");
}

void write_schema_record(Store& store, const std::string& key,
                         const std::optional<std::string>& value) {
  if (store.get_setting(key) != value) store.put_setting(key, value);
}

}  // namespace idsync::store
