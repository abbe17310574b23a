// The attributes a connector declares SECRET (IDSYNC_ATTRINFO_SECRET: write-only, such as a
// password), kept in the store so that every stage knows them, including those that call no
// connector: outbound sync plans them into provisioning ADDs only, the export leaves them out
// of its confirmation, the import never expects them back, and whatever shows attributes
// (pending exports, object traces, the connector space) masks their values.
//
// Contract:
//   - One record per connector in the `meta` family; the import and export steps rewrite it
//     from the connector's schema (importer/connector_schema.hpp) when it changed. A connector
//     that never declared a secret has no record and reads as having none.
//   - Names compare ignoring case, and a name is secret for every object type of the connector
//     once one type declares it (a directory's attribute names are global to it).
//   - A stored value that does not decode throws CorruptRecord naming the record: guessing
//     "no secrets" could put a password on show.
//
// Encoding: "secret_attributes/" + connector id (u32 BE)
//     -> u8 format (1), varint count, names (lower case, sorted, unique), each as bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace idsync::store {

class SecretAttributes {
 public:
  SecretAttributes() = default;
  // Any spelling, any order, repeats allowed.
  explicit SecretAttributes(const std::vector<std::string>& names);

  bool contains(std::string_view name) const;
  bool empty() const { return names_.empty(); }
  // Lower case, sorted, unique.
  const std::vector<std::string>& names() const { return names_; }
  bool operator==(const SecretAttributes&) const = default;

 private:
  std::vector<std::string> names_;
};

// What is shown instead of the values of a secret attribute: "(secret: 1 value)".
std::string secret_mask(size_t value_count);

std::string secret_attributes_key(uint32_t connector_id);
void encode_secret_attributes(const SecretAttributes& secrets, std::string& out);
// Throws CorruptRecord on an unknown format, truncation or trailing bytes.
SecretAttributes decode_secret_attributes(std::string_view value);

// The connector's secret attributes; none when no record was ever written.
SecretAttributes read_secret_attributes(const Store& store, uint32_t connector_id);
// Writes the record only when it differs from the stored one (the steps call this every run);
// an empty set removes it. Durable when it returns.
void write_secret_attributes(Store& store, uint32_t connector_id, const SecretAttributes& secrets);

}  // namespace idsync::store
