// Everything one connector instance knows of its directory, learned on first use and kept for
// the instance's life: the connection (reopened after a failure), the root DSE facts, the schema,
// the scope and the entry mapper. create() must not contact the server, so nothing here does
// until an operation asks.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "directory_info.hpp"
#include "directory_schema.hpp"
#include "dn_scope.hpp"
#include "ldap_options.hpp"
#include "object_mapper.hpp"

namespace idsync::ldap {

class DirectorySession {
 public:
  explicit DirectorySession(Options options);

  // The diagnostics of the hook in progress.
  void set_diag(const sdk::Diag* diag);
  const sdk::Diag* diag() const { return diag_; }

  const Options& options() const { return options_; }
  Connection& connection();  // opened (and bound) on demand
  const DirectoryInfo& info();
  const DirectorySchema& schema();
  const std::vector<std::string>& partitions();
  const Scope& scope();
  const ObjectMapper& mapper();
  // (|(objectClass=c1)(objectClass=c2)...) for the selected classes.
  std::string class_filter() const;

 private:
  Options options_;
  const sdk::Diag* diag_ = nullptr;
  Connection connection_;
  std::optional<DirectoryInfo> info_;
  std::optional<DirectorySchema> schema_;
  std::vector<std::string> partitions_;
  std::optional<Scope> scope_;
  std::optional<ObjectMapper> mapper_;
};

}  // namespace idsync::ldap
