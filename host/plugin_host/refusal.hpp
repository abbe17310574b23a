// Why a plugin (or a plugin folder) was not loaded.
#ifndef IDSYNC_PLUGIN_HOST_REFUSAL_HPP
#define IDSYNC_PLUGIN_HOST_REFUSAL_HPP

#include <filesystem>
#include <stdexcept>
#include <string>

namespace idsync::plugin_host {

// One refused plugin: the file at fault and a one-line reason an admin can act on. A refusal
// never stops discovery; the other plugins still load.
struct Refusal {
  std::filesystem::path file;
  std::string reason;

  // "<file>: <reason>", always a single line (so logs and `idsync plugins` stay greppable).
  std::string to_string() const;
};

// Thrown inside the host while checking one plugin; the registry turns it into a Refusal and
// moves on to the next plugin. Never thrown across the plugin boundary.
class RefusedError : public std::runtime_error {
 public:
  RefusedError(std::filesystem::path file, const std::string& reason);
  const std::filesystem::path& file() const { return file_; }
  Refusal refusal() const { return Refusal{file_, what()}; }

 private:
  std::filesystem::path file_;
};

// Quotes a path the way a shell would accept it in the fix we suggest ('it''s' style).
std::string shell_quote(const std::filesystem::path& path);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_REFUSAL_HPP
