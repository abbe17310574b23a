#include "plugin_host/abi_copy.hpp"

#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host::detail {

namespace {

std::string abi_name(uint32_t minor) {
  return std::to_string(IDSYNC_ABI_MAJOR) + "." + std::to_string(minor);
}

}  // namespace

void refuse_undersized(const std::filesystem::path& file, std::string_view what,
                       std::string_view struct_name, uint32_t size, std::size_t required_end,
                       std::string_view required_last) {
  throw RefusedError(file, "undersized struct: " + std::string(what) + " (" +
                               std::string(struct_name) + ") has struct_size " +
                               std::to_string(size) + ", but its required fields end at byte " +
                               std::to_string(required_end) + " (after " +
                               std::string(required_last) + ")");
}

void refuse_oversized(const std::filesystem::path& file, std::string_view what, const char* label,
                      std::string_view struct_name, uint32_t size, uint32_t minor,
                      std::size_t max_size) {
  std::string who(what);
  if (label != nullptr) who += " '" + std::string(label) + "'";
  throw RefusedError(file, "oversized struct: " + who + " (" + std::string(struct_name) +
                               ") has struct_size " + std::to_string(size) + ", but ABI " +
                               abi_name(minor) + " defines it with at most " +
                               std::to_string(max_size) +
                               " bytes; the plugin was built against a newer ABI than it "
                               "declares");
}

void refuse_null(const std::filesystem::path& file, std::string_view what,
                 std::string_view struct_name) {
  throw RefusedError(file, std::string(what) + " (" + std::string(struct_name) + ") is NULL");
}

}  // namespace idsync::plugin_host::detail
