#include "manifest/secrets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "manifest/json_access.hpp"
#include "manifest/paths.hpp"

namespace idsync::manifest {

namespace json = boost::json;

std::optional<SecretRef> parse_secret_ref(const json::value& value, const std::string& path,
                                          std::vector<Diagnostic>& problems) {
  if (value.is_string()) {
    problems.push_back({path, std::string(kSecretShape) + ", not inline text"});
    return std::nullopt;
  }
  if (!value.is_object()) {
    problems.push_back(
        {path, std::string(kSecretShape) + ", found " + std::string(describe_kind(value))});
    return std::nullopt;
  }
  const std::size_t before = problems.size();
  ObjectReader reader(value.get_object(), path, {"env", "file"}, problems);
  const bool unknown_keys = problems.size() != before;
  const bool has_env = reader.find("env") != nullptr, has_file = reader.find("file") != nullptr;
  if (has_env && has_file) {
    problems.push_back({path, R"(give either "env" or "file", not both)"});
    return std::nullopt;
  }
  if (!has_env && !has_file) {
    // A misspelt key has been reported already; saying "not a reference" too would be noise.
    if (!unknown_keys) problems.push_back({path, std::string(kSecretShape)});
    return std::nullopt;
  }
  auto name = reader.name(has_env ? "env" : "file");
  if (!name || problems.size() != before) return std::nullopt;
  return SecretRef{has_env ? SecretRef::Source::kEnv : SecretRef::Source::kFile, std::move(*name)};
}

namespace {

constexpr std::size_t kMaxSecretFile = 1024 * 1024;

std::optional<std::string> read_env(const SecretRef& ref, const std::string& path,
                                    std::vector<Diagnostic>& problems) {
  const char* v = std::getenv(ref.name.c_str());
  const std::string what = "environment variable \"" + ref.name + "\"";
  if (!v) {
    problems.push_back({path, what + " is not set"});
    return std::nullopt;
  }
  if (*v == '\0') {
    problems.push_back({path, what + " is empty"});
    return std::nullopt;
  }
  return std::string(v);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::optional<std::string> read_file(const SecretRef& ref, const std::filesystem::path& base_dir,
                                     const std::string& path, std::vector<Diagnostic>& problems) {
  const std::filesystem::path file = resolve_path(base_dir, ref.name);
  const std::string what = "secret file \"" + file.string() + "\"";
  auto fail = [&](std::string message) {
    problems.push_back({path, what + " " + message});
    return std::nullopt;
  };

  // O_NONBLOCK so that a FIFO at that path cannot hang the host; it is refused below.
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return fail("cannot be opened: " + std::system_category().message(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return fail("cannot be opened: " + std::system_category().message(errno));
  if (!S_ISREG(st.st_mode)) return fail("is not a regular file");
  if (st.st_mode & S_IROTH) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(std::string("is readable by other users (mode ") + mode + "); run chmod 600 on it");
  }

  std::string content;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot be read: " + std::system_category().message(errno));
    }
    if (n == 0) break;
    content.append(buf, static_cast<std::size_t>(n));
    if (content.size() > kMaxSecretFile)
      return fail("is larger than 1 MiB; it must hold only the secret");
  }
  // `echo secret > file` adds a line ending that is not part of the secret.
  if (!content.empty() && content.back() == '\n') {
    content.pop_back();
    if (!content.empty() && content.back() == '\r') content.pop_back();
  }
  if (content.empty()) return fail("is empty");
  return content;
}

}  // namespace

std::optional<std::string> read_secret(const SecretRef& ref, const std::filesystem::path& base_dir,
                                       const std::string& path, std::vector<Diagnostic>& problems) {
  return ref.source == SecretRef::Source::kEnv ? read_env(ref, path, problems)
                                               : read_file(ref, base_dir, path, problems);
}

}  // namespace idsync::manifest
