#include "plugin_host/discovery.hpp"

#include <idsync/plugin_abi.h>

#include <algorithm>
#include <set>
#include <string>
#include <system_error>

#include "plugin_host/permissions.hpp"

namespace idsync::plugin_host {

namespace fs = std::filesystem;

namespace {

std::string abi(uint32_t major, uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// Everything about one plugin folder that can be known without loading its library.
Candidate examine(const fs::path& folder) {
  Candidate c;
  c.folder = folder;
  c.sidecar_file = folder / "plugin.json";
  check_trusted(folder, Kind::directory);

  std::error_code ec;
  if (!fs::exists(c.sidecar_file, ec))
    throw RefusedError(c.sidecar_file,
                       "missing plugin.json (each plugin folder holds one next to its library)");
  check_trusted(c.sidecar_file, Kind::regular_file);
  c.sidecar = read_sidecar(c.sidecar_file);

  // Checked before loading: a library built for another major may not even have a layout
  // this host can read, and one that needs a newer minor would be refused by its entry.
  if (c.sidecar.abi_major != IDSYNC_ABI_MAJOR)
    throw RefusedError(c.sidecar_file,
                       "plugin.json declares ABI major " + std::to_string(c.sidecar.abi_major) +
                           ", but this host speaks only ABI major " +
                           std::to_string(IDSYNC_ABI_MAJOR) +
                           "; install a build of the plugin made for this idsync version");
  if (c.sidecar.abi_minor > IDSYNC_ABI_MINOR)
    throw RefusedError(c.sidecar_file,
                       "plugin.json needs ABI minor " + std::to_string(c.sidecar.abi_minor) + " (" +
                           abi(c.sidecar.abi_major, c.sidecar.abi_minor) +
                           "), newer than this host's " + abi(IDSYNC_ABI_MAJOR, IDSYNC_ABI_MINOR) +
                           "; upgrade idsync");

  c.library = folder / c.sidecar.library;
  if (!fs::exists(c.library, ec))
    throw RefusedError(c.library, "library named in plugin.json does not exist");
  check_trusted(c.library, Kind::regular_file);
  return c;
}

void list_dir(const fs::path& dir, Listing& out) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    out.entries.emplace_back(Refusal{dir, "plugin folder does not exist"});
    return;
  }
  try {
    check_trusted(dir, Kind::directory);
  } catch (const RefusedError& e) {
    // Everything under an untrusted dir is untrusted: one line for all of it.
    out.entries.emplace_back(e.refusal());
    return;
  }

  std::vector<fs::path> folders;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) folders.push_back(p);
  }
  if (ec) {
    out.entries.emplace_back(Refusal{dir, "cannot list plugin folder: " + ec.message()});
    return;
  }
  std::sort(folders.begin(), folders.end());
  for (const fs::path& folder : folders) {
    try {
      out.entries.emplace_back(examine(folder));
    } catch (const RefusedError& e) {
      out.entries.emplace_back(e.refusal());
    }
  }
}

}  // namespace

std::vector<Candidate> Listing::candidates() const {
  std::vector<Candidate> out;
  for (const ListingEntry& e : entries)
    if (const auto* c = std::get_if<Candidate>(&e)) out.push_back(*c);
  return out;
}

std::vector<Refusal> Listing::refused() const {
  std::vector<Refusal> out;
  for (const ListingEntry& e : entries)
    if (const auto* r = std::get_if<Refusal>(&e)) out.push_back(*r);
  return out;
}

Listing list_plugins(const std::vector<fs::path>& plugin_dirs) {
  Listing out;
  std::set<fs::path> seen;
  for (const fs::path& given : plugin_dirs) {
    // Absolute paths make every message and the dlopen() unambiguous whatever the cwd.
    std::error_code ec;
    fs::path dir = fs::absolute(given, ec);
    if (ec) dir = given;
    dir = dir.lexically_normal();
    fs::path key = fs::weakly_canonical(dir, ec);
    if (ec) key = dir;
    if (!seen.insert(key).second) continue;
    list_dir(dir, out);
  }
  return out;
}

}  // namespace idsync::plugin_host
