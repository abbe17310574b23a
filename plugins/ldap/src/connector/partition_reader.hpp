// The reading half of a full import of one partition, run on the import's reader thread: the
// paged search (the next page requested as soon as one is read, so that the server prepares it
// meanwhile), the entries a resumption skips, scope, object type, anchor, ranged values, value
// sizes and the mapping to the host's value types. Each LDAP page becomes one ImportedPage.
//
// While it runs it alone uses the connection; nothing here talks to the host (warnings travel
// with the page). Failures throw as the connection and the mapper do, after the pages before
// them were delivered, and leave nothing outstanding on the connection that it could abandon.
#pragma once

#include <cstdint>
#include <string>

#include "connection.hpp"
#include "dn_scope.hpp"
#include "ldap_options.hpp"
#include "object_mapper.hpp"
#include "read_ahead.hpp"

namespace idsync::ldap {

struct PartitionRead {
  SearchRequest request;  // the partition's search, without the paging control
  uint32_t page_size = 1000;
  // A resumption: entries of the search already passed, and the DN the last of them had.
  uint64_t skip = 0;
  std::string expected_last_dn;
  // Set when containers are included or excluded; otherwise every entry of the partition's
  // search is in scope and no DN is parsed.
  const Scope* scope = nullptr;
};

class PartitionReader {
 public:
  // Everything referred to must outlive the reader; `connection` must be open.
  PartitionReader(Connection& connection, const ObjectMapper& mapper, const Options& options,
                  PartitionRead read)
      : connection_(connection), mapper_(mapper), options_(options), read_(std::move(read)) {}

  // Reads the partition's pages to the last, delivering each. On the reader thread.
  void run(ReadAhead::Channel& channel);

 private:
  void add(Entry&& entry, ImportedPage& page) const;

  Connection& connection_;
  const ObjectMapper& mapper_;
  const Options& options_;
  const PartitionRead read_;
};

}  // namespace idsync::ldap
