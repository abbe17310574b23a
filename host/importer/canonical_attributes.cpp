#include "importer/canonical_attributes.hpp"

#include <algorithm>

#include "store/codec.hpp"
#include "store/cs_object.hpp"

namespace idsync::importer {

namespace {
// Above this, de-duplicating values pairwise costs more than the general path.
constexpr size_t kMaxValuesForFastPath = 32;
}  // namespace

bool CanonicalAttributes::encode(const ImportRecord& r, std::string& out) {
  order_.clear();
  for (const AttrChange& a : r.attributes) {
    if (a.op != IDSYNC_ATTR_REPLACE || a.values.size() > kMaxValuesForFastPath) return false;
    if (!a.values.empty()) order_.push_back(&a);
  }
  std::stable_sort(order_.begin(), order_.end(), [](const AttrChange* x, const AttrChange* y) {
    return store::iless(x->name, y->name);
  });
  for (size_t i = 1; i < order_.size(); ++i)
    if (store::iequals(order_[i - 1]->name, order_[i]->name)) return false;

  scratch_.clear();
  store::Encoder e(scratch_);
  e.varint(order_.size());
  for (const AttrChange* a : order_) {
    values_.clear();
    for (const auto& v : a->values)
      if (std::find(values_.begin(), values_.end(), std::string_view(v)) == values_.end())
        values_.push_back(v);
    e.bytes(a->name);
    e.u8(static_cast<uint8_t>(a->type));
    e.varint(values_.size());
    for (std::string_view v : values_) e.bytes(v);
  }
  out.append(scratch_);
  return true;
}

}  // namespace idsync::importer
