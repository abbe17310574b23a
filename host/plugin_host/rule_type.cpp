#include "plugin_host/rule_type.hpp"

#include <set>

#include "plugin_host/abi_copy.hpp"
#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {

namespace {

// Copies one array of function/transform pointers, checking names are present and unique.
// `hook_present` tells whether the copy has its callable.
template <class T, class HookPresent>
std::vector<T> copy_named(const T* const* items, std::size_t count, uint32_t minor,
                          const std::string& who, const char* kind, const char* hook,
                          HookPresent hook_present, const std::filesystem::path& library) {
  std::vector<T> out;
  if (count > 0 && items == nullptr)
    throw RefusedError(library, who + " declares " + std::to_string(count) + " " + kind +
                                    "s but the array is NULL");
  std::set<std::string, std::less<>> names;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string what = who + " " + kind + " #" + std::to_string(i);
    T item = abi_copy(items[i], minor, what, library);
    if (item.name == nullptr || item.name[0] == '\0')
      throw RefusedError(library, what + " has no name");
    const std::string named = who + " " + kind + " '" + item.name + "'";
    if (!hook_present(item))
      throw RefusedError(library, named + " lacks its " + hook + " hook (it is NULL)");
    if (!names.insert(item.name).second)
      throw RefusedError(library,
                         who + " declares " + kind + " '" + item.name + "' twice (duplicate name)");
    out.push_back(item);
  }
  return out;
}

}  // namespace

RuleType RuleType::copy_from(const idsync_rule_type* src, std::size_t index, uint32_t minor,
                             const std::string& plugin, const std::filesystem::path& library) {
  RuleType out;
  out.raw_ = abi_copy(src, minor, "rule type #" + std::to_string(index), library);
  out.plugin_ = plugin;
  out.abi_minor_ = minor;
  if (out.raw_.type_id == nullptr || out.raw_.type_id[0] == '\0')
    throw RefusedError(library, "rule type #" + std::to_string(index) + " has no type_id");
  out.id_ = out.raw_.type_id;
  const std::string who = "rule type '" + out.id_ + "'";

  out.functions_ = copy_named(
      out.raw_.functions, out.raw_.function_count, minor, who, "function", "call",
      [](const idsync_rule_function& f) { return f.call != nullptr; }, library);
  for (const idsync_rule_function& f : out.functions_) {
    if (f.min_args > f.max_args)
      throw RefusedError(library, who + " function '" + f.name + "' has min_args " +
                                      std::to_string(f.min_args) + " > max_args " +
                                      std::to_string(f.max_args));
    out.function_ptrs_.push_back(&f);
  }
  out.transforms_ = copy_named(
      out.raw_.transforms, out.raw_.transform_count, minor, who, "transform", "apply",
      [](const idsync_rule_transform& t) { return t.apply != nullptr; }, library);
  for (const idsync_rule_transform& t : out.transforms_) out.transform_ptrs_.push_back(&t);

  out.raw_.functions = out.function_ptrs_.data();
  out.raw_.function_count = out.function_ptrs_.size();
  out.raw_.transforms = out.transform_ptrs_.data();
  out.raw_.transform_count = out.transform_ptrs_.size();
  return out;
}

std::string_view RuleType::description() const {
  return raw_.description ? std::string_view(raw_.description) : std::string_view();
}

const idsync_rule_function* RuleType::function(std::string_view name) const {
  for (const idsync_rule_function* f : function_ptrs_)
    if (name == f->name) return f;
  return nullptr;
}

const idsync_rule_transform* RuleType::transform(std::string_view name) const {
  for (const idsync_rule_transform* t : transform_ptrs_)
    if (name == t->name) return t;
  return nullptr;
}

}  // namespace idsync::plugin_host
