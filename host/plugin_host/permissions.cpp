#include "plugin_host/permissions.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "plugin_host/refusal.hpp"

namespace idsync::plugin_host {

namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

void check_trusted(const std::filesystem::path& path, Kind kind) {
  // stat() follows symlinks: what matters is the file that would be read or mapped.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    throw RefusedError(path, err == ENOENT ? std::string("does not exist")
                                           : std::string("cannot stat: ") + std::strerror(err));
  }
  if (kind == Kind::directory && !S_ISDIR(st.st_mode))
    throw RefusedError(path, "is not a directory");
  if (kind == Kind::regular_file && !S_ISREG(st.st_mode))
    throw RefusedError(path, "is not a regular file");

  const bool is_dir = S_ISDIR(st.st_mode);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw RefusedError(path, std::string("writable by group or others (mode ") +
                                 octal_mode(st.st_mode) + "); another user could replace " +
                                 (is_dir ? "the plugin code in it" : "this plugin file") +
                                 ". Fix: chmod go-w " + shell_quote(path));
  }
  const uid_t me = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != me) {
    throw RefusedError(path, "owned by uid " + std::to_string(st.st_uid) +
                                 ", neither root nor the current user (uid " + std::to_string(me) +
                                 "); that user could replace the plugin" + ". Fix: chown " +
                                 std::to_string(me) + " " + shell_quote(path));
  }
}

}  // namespace idsync::plugin_host
