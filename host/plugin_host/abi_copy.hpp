// Copies a struct a plugin hands over into a zeroed host struct, after checking struct_size
// (ABI rule 2). The rest of the host only ever reads these copies.
#ifndef IDSYNC_PLUGIN_HOST_ABI_COPY_HPP
#define IDSYNC_PLUGIN_HOST_ABI_COPY_HPP

#include <idsync/plugin_abi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>

namespace idsync::plugin_host {

// Byte offset just past `member` of struct `T`.
#define IDSYNC_END_OF(T, member) (offsetof(T, member) + sizeof(T::member))

// Per struct the plugin fills in:
//  - required_end: the minimum struct_size. It ends after the last minor-0 field whose zero
//    value is invalid (a NULL required hook, a NULL id or name), named by required_last.
//    Every field past it may be absent and then reads as zero/NULL, which the ABI defines as
//    "not provided".
//  - size_in_minor[m]: sizeof(T) as it was when minor m was current, i.e. the largest
//    struct_size a plugin speaking minor m can legitimately send. When a minor appends
//    fields, add its size here (the static_asserts below fail until you do).
//  - label(): the id or name of an instance, for messages; only called once struct_size is
//    known to cover it.
template <class T>
struct AbiLayout;

template <>
struct AbiLayout<idsync_plugin_info> {
  static constexpr std::string_view name = "idsync_plugin_info";
  // name and version must be set; abi_minor 0 and empty type lists are valid zeros.
  static constexpr std::size_t required_end = IDSYNC_END_OF(idsync_plugin_info, version);
  static constexpr std::string_view required_last = "version";
  static constexpr std::size_t size_in_minor[] = {sizeof(idsync_plugin_info)};
  static const char* label(const idsync_plugin_info& s) { return s.name; }
};

template <>
struct AbiLayout<idsync_connector_type> {
  static constexpr std::string_view name = "idsync_connector_type";
  // full_import is the last required hook; the optional hooks after it may be cut off.
  static constexpr std::size_t required_end = IDSYNC_END_OF(idsync_connector_type, full_import);
  static constexpr std::string_view required_last = "full_import";
  static constexpr std::size_t size_in_minor[] = {sizeof(idsync_connector_type)};
  static const char* label(const idsync_connector_type& s) { return s.type_id; }
};

template <>
struct AbiLayout<idsync_config_field> {
  static constexpr std::string_view name = "idsync_config_field";
  // Only the name must be set: type 0 is STRING, flags 0 is "optional", and a NULL default,
  // doc or allowed list and min == max all mean "none".
  static constexpr std::size_t required_end = IDSYNC_END_OF(idsync_config_field, name);
  static constexpr std::string_view required_last = "name";
  static constexpr std::size_t size_in_minor[] = {sizeof(idsync_config_field)};
  static const char* label(const idsync_config_field& s) { return s.name; }
};

template <>
struct AbiLayout<idsync_rule_type> {
  static constexpr std::string_view name = "idsync_rule_type";
  static constexpr std::size_t required_end = IDSYNC_END_OF(idsync_rule_type, type_id);
  static constexpr std::string_view required_last = "type_id";
  static constexpr std::size_t size_in_minor[] = {sizeof(idsync_rule_type)};
  static const char* label(const idsync_rule_type& s) { return s.type_id; }
};

template <>
struct AbiLayout<idsync_rule_function> {
  static constexpr std::string_view name = "idsync_rule_function";
  static constexpr std::size_t required_end = IDSYNC_END_OF(idsync_rule_function, call);
  static constexpr std::string_view required_last = "call";
  static constexpr std::size_t size_in_minor[] = {sizeof(idsync_rule_function)};
  static const char* label(const idsync_rule_function& s) { return s.name; }
};

template <>
struct AbiLayout<idsync_rule_transform> {
  static constexpr std::string_view name = "idsync_rule_transform";
  static constexpr std::size_t required_end = IDSYNC_END_OF(idsync_rule_transform, apply);
  static constexpr std::string_view required_last = "apply";
  static constexpr std::size_t size_in_minor[] = {sizeof(idsync_rule_transform)};
  static const char* label(const idsync_rule_transform& s) { return s.name; }
};

#define IDSYNC_CHECK_ABI_LAYOUT(T)                                               \
  static_assert(std::size(AbiLayout<T>::size_in_minor) == IDSYNC_ABI_MINOR + 1,  \
                "record sizeof(" #T ") for every minor up to IDSYNC_ABI_MINOR"); \
  static_assert(AbiLayout<T>::size_in_minor[IDSYNC_ABI_MINOR] == sizeof(T),      \
                "the newest minor's size of " #T " must be its sizeof");
IDSYNC_CHECK_ABI_LAYOUT(idsync_plugin_info)
IDSYNC_CHECK_ABI_LAYOUT(idsync_connector_type)
IDSYNC_CHECK_ABI_LAYOUT(idsync_config_field)
IDSYNC_CHECK_ABI_LAYOUT(idsync_rule_type)
IDSYNC_CHECK_ABI_LAYOUT(idsync_rule_function)
IDSYNC_CHECK_ABI_LAYOUT(idsync_rule_transform)
#undef IDSYNC_CHECK_ABI_LAYOUT

namespace detail {

// Throws RefusedError naming the struct, `what` (e.g. "connector type #0") and both sizes.
[[noreturn]] void refuse_undersized(const std::filesystem::path& file, std::string_view what,
                                    std::string_view struct_name, uint32_t size,
                                    std::size_t required_end, std::string_view required_last);
[[noreturn]] void refuse_oversized(const std::filesystem::path& file, std::string_view what,
                                   const char* label, std::string_view struct_name, uint32_t size,
                                   uint32_t minor, std::size_t max_size);
[[noreturn]] void refuse_null(const std::filesystem::path& file, std::string_view what,
                              std::string_view struct_name);

}  // namespace detail

// The largest struct_size of T a plugin speaking `minor` may send (minor <= the host's).
template <class T>
constexpr std::size_t abi_max_size(uint32_t minor) {
  return AbiLayout<T>::size_in_minor[std::min<uint32_t>(minor, IDSYNC_ABI_MINOR)];
}

// Returns a host-owned copy of *src: the first src->struct_size bytes, the rest zero, and
// struct_size set to the host's sizeof (every field of the copy is now readable). Refuses
// (RefusedError on `file`) a NULL pointer, a struct_size below the required fields and one
// above what `minor` defines. Pointers inside (strings, hooks, arrays) are copied as they
// are; the caller validates and re-points arrays to its own copies.
template <class T>
T abi_copy(const T* src, uint32_t minor, std::string_view what, const std::filesystem::path& file) {
  static_assert(std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T>);
  static_assert(offsetof(T, struct_size) == 0);
  using Layout = AbiLayout<T>;
  if (src == nullptr) detail::refuse_null(file, what, Layout::name);
  // struct_size is the first field of every such struct, so it is always safe to read.
  const uint32_t size = src->struct_size;
  if (size < Layout::required_end)
    detail::refuse_undersized(file, what, Layout::name, size, Layout::required_end,
                              Layout::required_last);
  if (size > abi_max_size<T>(minor))
    detail::refuse_oversized(file, what, Layout::label(*src), Layout::name, size, minor,
                             abi_max_size<T>(minor));
  T copy;
  std::memset(&copy, 0, sizeof copy);
  std::memcpy(&copy, src, size);
  copy.struct_size = sizeof(T);
  return copy;
}

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_ABI_COPY_HPP
