// Loads a plugin library and calls its entry, once per process.
#ifndef IDSYNC_PLUGIN_HOST_LOADER_HPP
#define IDSYNC_PLUGIN_HOST_LOADER_HPP

#include <idsync/plugin_abi.h>

#include <filesystem>
#include <string>

namespace idsync::plugin_host {

// What the entry answered. `info` is plugin-owned static data; read it only through the
// checked copies in negotiate.hpp.
struct EntryAnswer {
  idsync_status status = IDSYNC_OK;
  const idsync_plugin_info* info = nullptr;
  uint32_t offered_minor = 0;  // the minor the host offered in idsync_host_info
};

// Loads `library` (RTLD_NOW | RTLD_LOCAL, so unresolved symbols fail here, with dlerror's
// text, rather than crash later in a hook) and calls idsync_plugin_entry_v1 with a host_info
// tagged with `plugin_name`.
//
// Libraries are NEVER unloaded: the plugin's static metadata (type ids, config field names,
// docs) and its function pointers are copied by pointer into the registry and may be held
// anywhere in the host, and a plugin may have registered atexit handlers or thread-locals
// whose code must stay mapped. This applies to refused libraries too, since their static
// constructors have run by then.
//
// The ABI says the entry is called once per process, so the answer is cached per library
// file; loading the same file again (a second discovery) returns the first answer.
//
// Throws RefusedError(library, ...) when the library cannot be loaded or lacks the entry.
// The entry itself is plain C and must not throw; nothing here catches across it.
EntryAnswer load_and_enter(const std::filesystem::path& library, const std::string& plugin_name);

}  // namespace idsync::plugin_host

#endif  // IDSYNC_PLUGIN_HOST_LOADER_HPP
