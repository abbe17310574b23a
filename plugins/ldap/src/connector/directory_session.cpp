#include "directory_session.hpp"

#include "filter_escape.hpp"
#include "referrals.hpp"

namespace idsync::ldap {

DirectorySession::DirectorySession(Options options)
    : options_(std::move(options)), connection_(options_, nullptr) {
  connection_.set_reference_policy([this](const std::vector<std::string>& urls) {
    check_reference(urls, info().naming_contexts, scope());
  });
}

void DirectorySession::set_diag(const sdk::Diag* diag) {
  diag_ = diag;
  connection_.set_diag(diag);
}

Connection& DirectorySession::connection() {
  connection_.open();
  return connection_;
}

const DirectoryInfo& DirectorySession::info() {
  if (!info_) info_ = read_directory_info(connection());
  return *info_;
}

const DirectorySchema& DirectorySession::schema() {
  if (!schema_) schema_ = DirectorySchema::load(connection(), info(), options_);
  return *schema_;
}

const std::vector<std::string>& DirectorySession::partitions() {
  if (partitions_.empty()) partitions_ = partitions_to_read(info(), options_.partitions);
  return partitions_;
}

const Scope& DirectorySession::scope() {
  if (!scope_)
    scope_.emplace(partitions(), options_.include_containers, options_.exclude_containers);
  return *scope_;
}

const ObjectMapper& DirectorySession::mapper() {
  if (!mapper_) mapper_.emplace(options_, schema());
  return *mapper_;
}

std::string DirectorySession::class_filter() const {
  std::string filter = "(|";
  for (const auto& cls : options_.object_classes)
    filter += "(objectClass=" + escape_filter_value(cls) + ")";
  return filter + ")";
}

}  // namespace idsync::ldap
