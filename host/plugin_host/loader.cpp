#include "plugin_host/loader.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <boost/dll/shared_library.hpp>
#include <map>
#include <mutex>
#include <utility>

#include "plugin_host/host_log.hpp"
#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {

namespace {

struct Loaded {
  boost::dll::shared_library library;  // held, never unloaded (see loader.hpp)
  EntryAnswer answer;
  std::string refused;  // non-empty: the entry could not be called, and why
};

struct LoadedLibraries {
  std::mutex mutex;
  // Keyed by device and inode: the same file reached by two paths is one dlopen handle, so it
  // must also be one entry call.
  std::map<std::pair<dev_t, ino_t>, Loaded> by_file;
};

// Leaked on purpose: destroying it at exit would dlclose every plugin while other statics
// (and the plugins' own atexit handlers) may still point into their code.
LoadedLibraries& loaded_libraries() {
  static LoadedLibraries* libs = new LoadedLibraries;
  return *libs;
}

// Calls the entry. noexcept because the entry is a C function: an exception escaping a C++
// plugin's entry breaks the contract, and terminating here is better than unwinding through
// the host in an unknown state.
idsync_status call_entry(idsync_plugin_entry_v1_fn entry, const idsync_host_info* host,
                         const idsync_plugin_info** out) noexcept {
  return entry(host, out);
}

}  // namespace

EntryAnswer load_and_enter(const std::filesystem::path& library, const std::string& plugin_name) {
  struct stat st {};
  if (::stat(library.c_str(), &st) != 0) throw RefusedError(library, "library does not exist");

  LoadedLibraries& libs = loaded_libraries();
  std::lock_guard lock(libs.mutex);
  const auto key = std::make_pair(st.st_dev, st.st_ino);
  if (auto it = libs.by_file.find(key); it != libs.by_file.end()) {
    if (!it->second.refused.empty()) throw RefusedError(library, it->second.refused);
    return it->second.answer;
  }

  boost::dll::shared_library lib;
  boost::dll::fs::error_code ec;
  ::dlerror();  // clear any stale message so the one we report is this load's
  lib.load(boost::dll::fs::path(library.string()),
           boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !lib.is_loaded()) {
    // Boost.DLL leaves dlerror's text in place on the error_code path; it says what is wrong
    // (missing dependency, undefined symbol, wrong architecture, not an ELF file).
    const char* error = ::dlerror();
    std::string why = error ? error : ec.message();
    // dlerror usually starts with the path, which the refusal already names.
    if (const std::string prefix = library.string() + ": "; why.starts_with(prefix))
      why.erase(0, prefix.size());
    throw RefusedError(library, "cannot load library: " + why);
  }
  if (!lib.has(IDSYNC_PLUGIN_ENTRY_V1)) {
    const std::string reason = std::string("no entry symbol ") + IDSYNC_PLUGIN_ENTRY_V1 +
                               " (export it as extern \"C\" with IDSYNC_EXPORT; "
                               "check with nm -D)";
    // Keep it loaded anyway: its static constructors have run (see loader.hpp).
    libs.by_file.emplace(key, Loaded{std::move(lib), {}, reason});
    throw RefusedError(library, reason);
  }
  auto entry = lib.get<idsync_status(const idsync_host_info*, const idsync_plugin_info**)>(
      IDSYNC_PLUGIN_ENTRY_V1);

  const idsync_host_info* host = host_info_for(plugin_name);
  EntryAnswer answer;
  answer.offered_minor = host->abi_minor;
  answer.status = call_entry(entry, host, &answer.info);
  libs.by_file.emplace(key, Loaded{std::move(lib), answer, {}});
  return answer;
}

}  // namespace idsync::plugin_host
