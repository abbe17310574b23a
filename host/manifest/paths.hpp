// Relative paths in the manifest resolve against the manifest's own folder, never against the
// working directory, so the same manifest means the same files however idsync is started.
#ifndef IDSYNC_MANIFEST_PATHS_HPP
#define IDSYNC_MANIFEST_PATHS_HPP

#include <filesystem>
#include <string_view>

namespace idsync::manifest {

// `text` made absolute against `base_dir` (which must be absolute) and lexically normalized,
// without a trailing separator ("plugins/" names the folder "plugins"). An absolute `text` is
// only normalized. No file system access: symbolic links are not followed.
inline std::filesystem::path resolve_path(const std::filesystem::path& base_dir,
                                          std::string_view text) {
  std::filesystem::path p(text);
  if (p.is_relative()) p = base_dir / p;
  p = p.lexically_normal();
  if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();
  return p;
}

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_PATHS_HPP
