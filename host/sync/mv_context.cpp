#include "sync/mv_context.hpp"

#include "store/cs_object.hpp"
#include "sync/cs_context.hpp"

namespace idsync::sync {

const expr::Value* MvContext::attribute(std::string_view name) const {
  std::string key = store::lowercase(name);
  if (auto it = converted_.find(key); it != converted_.end()) return &it->second;
  const store::MvAttribute* a = object_.find(name);
  if (!a) return nullptr;
  expr::Value v;
  for (const std::string& text : a->values) v.push_back(to_scalar(a->type, text));
  return &converted_.emplace(std::move(key), std::move(v)).first->second;
}

sync_rules::AttributeSource MvContext::attribute_source() const {
  return [this](std::string_view name) -> std::span<const std::string> {
    const store::MvAttribute* a = object_.find(name);
    if (!a) return {};
    return std::span<const std::string>(a->values);
  };
}

}  // namespace idsync::sync
