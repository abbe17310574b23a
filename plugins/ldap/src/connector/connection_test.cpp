#include "connection_test.hpp"

#include <ldap.h>

namespace idsync::ldap {

namespace {
constexpr const char* kPagedResults = "1.2.840.113556.1.4.319";
constexpr const char* kContentSync = "1.3.6.1.4.1.4203.1.9.1.1";
constexpr const char* kDirSync = "1.2.840.113556.1.4.841";
}  // namespace

void check_connection(DirectorySession& session, DeltaSource& delta) {
  const Options& o = session.options();
  Connection& connection = session.connection();  // connects and binds, or throws
  const DirectoryInfo& info = session.info();
  std::vector<std::string> missing;
  idsync_error_kind kind = IDSYNC_ERR_CONFIG;
  if (!info.supports(kPagedResults))
    missing.push_back("the server does not offer the paged results control (" +
                      std::string(kPagedResults) + ")");
  if (o.active_directory() && o.delta_mode == AdDeltaMode::dirsync && !info.supports(kDirSync))
    missing.push_back("the server does not offer DirSync (" + std::string(kDirSync) +
                      "): it is not an Active Directory DC, or set config.delta_mode to usn");
  if (!o.active_directory() && !info.supports(kContentSync))
    missing.push_back("the server does not offer RFC 4533 content sync (" +
                      std::string(kContentSync) +
                      "): load the syncprov overlay on the database, or delta imports fail");
  try {
    session.partitions();
    session.schema();
  } catch (const sdk::Error& e) {
    missing.push_back(e.what());
  }
  if (missing.empty()) {
    try {
      delta.current_watermark();
    } catch (const sdk::Error& e) {
      missing.push_back(e.what());
      kind = e.kind();
    }
  }
  if (!missing.empty()) {
    std::string message = "the connection works, but:";
    for (const auto& m : missing) message += "\n  - " + m;
    throw sdk::Error(kind, message);
  }
  if (session.diag()) {
    std::string partitions;
    for (const auto& p : session.partitions()) partitions += (partitions.empty() ? "" : "; ") + p;
    session.diag()->info(std::string("bound ") +
                         (o.bind_dn.empty() ? "anonymously" : "as \"" + o.bind_dn + "\"") +
                         (connection.encrypted() ? " over TLS" : " without encryption") +
                         "; partitions: " + partitions);
  }
}

}  // namespace idsync::ldap
