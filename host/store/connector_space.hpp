// Read access to one connector's space. Writes go through the importer (and, later, the sync
// engine) as WriteBatches so that each page commits atomically with its progress marker.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "store/cs_object.hpp"
#include "store/store.hpp"

namespace idsync::store {

class ConnectorSpace {
 public:
  ConnectorSpace(Store& store, uint32_t connector_id) : store_(store), id_(connector_id) {}

  uint32_t connector_id() const { return id_; }
  std::optional<CsObject> get(std::string_view anchor) const;
  // get() for many anchors with one MultiGet; nullopt where there is none.
  std::vector<std::optional<CsObject>> get_many(const std::vector<std::string>& anchors) const;
  std::optional<std::string> anchor_by_dn(std::string_view dn) const;
  // Streams every object in anchor order; `visit` returns false to stop early. Holds one
  // object in memory at a time.
  void for_each(const std::function<bool(const CsObject&)>& visit) const;
  uint64_t count() const;

  std::string object_key(std::string_view anchor) const { return connector_key(id_, anchor); }
  std::string dn_key(std::string_view dn) const { return connector_key(id_, lowercase(dn)); }

 private:
  Store& store_;
  uint32_t id_;
};

}  // namespace idsync::store
