// Per-connector records that the import and export steps derive from a connector's schema and
// keep in the `meta` family for the steps that call no connector (secret_attributes.hpp,
// add_named_anchors.hpp): how one is read and how it is written.
//
// Contract:
//   - read_schema_record: nullopt when no record was ever written; a record that does not
//     decode throws CorruptRecord naming the store, the record and its connector, and saying
//     that an import or export of the connector writes it again.
//   - write_schema_record writes only when the stored bytes differ (the steps call it on every
//     run), removes the record for nullopt, and is durable when it returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/codec.hpp"
#include "store/store.hpp"

namespace idsync::store {

// The error for a damaged record: `what` names it ("secret attributes").
CorruptRecord damaged_schema_record(const Store& store, uint32_t connector_id,
                                    std::string_view what, const CorruptRecord& cause);

template <class Decode>
auto read_schema_record(const Store& store, const std::string& key, uint32_t connector_id,
                        std::string_view what, Decode decode)
    -> std::optional<decltype(decode(std::string_view()))> {
  const std::optional<std::string> value = store.get_setting(key);
  if (!value) return std::nullopt;
  try {
    return decode(*value);
  } catch (const CorruptRecord& e) {
    throw damaged_schema_record(store, connector_id, what, e);
  }
}

void write_schema_record(Store& store, const std::string& key,
                         const std::optional<std::string>& value);

}  // namespace idsync::store
