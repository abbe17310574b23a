#include "store/connector_space.hpp"

#include <memory>

#include "store/codec.hpp"

namespace idsync::store {

std::optional<CsObject> ConnectorSpace::get(std::string_view anchor) const {
  auto value = store_.get(Family::cs, object_key(anchor));
  if (!value) return std::nullopt;
  CsObject o;
  decode_cs_object(anchor, *value, o);
  return o;
}

std::vector<std::optional<CsObject>> ConnectorSpace::get_many(
    const std::vector<std::string>& anchors) const {
  std::vector<Family> families(anchors.size(), Family::cs);
  std::vector<std::string> keys;
  keys.reserve(anchors.size());
  for (const std::string& a : anchors) keys.push_back(object_key(a));
  const auto values = store_.multi_get(families, keys);
  std::vector<std::optional<CsObject>> out(anchors.size());
  for (size_t i = 0; i < anchors.size(); ++i)
    if (values[i]) decode_cs_object(anchors[i], *values[i], out[i].emplace());
  return out;
}

std::optional<std::string> ConnectorSpace::anchor_by_dn(std::string_view dn) const {
  return store_.get(Family::cs_dn, dn_key(dn));
}

void ConnectorSpace::for_each(const std::function<bool(const CsObject&)>& visit) const {
  const std::string prefix = connector_prefix(id_);
  std::string upper = connector_prefix(id_ + 1);
  rocksdb::ReadOptions options;
  rocksdb::Slice upper_slice(upper);
  options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db().NewIterator(options, store_.family(Family::cs)));
  CsObject o;
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    decode_cs_object(key.substr(prefix.size()),
                     std::string_view(it->value().data(), it->value().size()), o);
    if (!visit(o)) return;
  }
  check(it->status(), "store " + store_.path().string() + ": scan failed");
}

uint64_t ConnectorSpace::count() const {
  uint64_t n = 0;
  for_each([&](const CsObject&) {
    ++n;
    return true;
  });
  return n;
}

}  // namespace idsync::store
