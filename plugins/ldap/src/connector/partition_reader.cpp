#include "partition_reader.hpp"

#include <memory>

#include "ldap_error.hpp"
#include "paged_search.hpp"

namespace idsync::ldap {

void PartitionReader::run(ReadAhead::Channel& channel) {
  const auto stop_requested = [&channel] { return channel.stop_requested(); };
  uint64_t passed = 0;
  std::string cookie;
  auto pending =
      std::make_unique<PendingPage>(connection_, read_.request, read_.page_size, std::string());
  for (;;) {
    std::vector<Entry> entries;
    const OperationResult result = pending->receive(entries, cookie, stop_requested);
    pending.reset();
    if (result.ok() && !cookie.empty())
      pending = std::make_unique<PendingPage>(connection_, read_.request, read_.page_size, cookie);
    if (!result.ok())
      throw_ldap(result.code, "paged search of \"" + read_.request.base + "\"", result.message);
    ImportedPage page;
    page.objects.reserve(entries.size());
    if (!entries.empty()) page.last_dn = entries.back().dn;
    for (auto& entry : entries) {
      ++passed;
      if (passed <= read_.skip) {
        if (passed == read_.skip && normalize_dn(entry.dn) != normalize_dn(read_.expected_last_dn))
          throw sdk::Error(IDSYNC_ERR_PRECONDITION,
                           "the directory changed the order of its results since the full "
                           "import's checkpoint; the import starts over");
        continue;
      }
      add(std::move(entry), page);
    }
    page.passed = passed;
    page.last = cookie.empty();
    channel.deliver(std::move(page));
    if (cookie.empty()) return;
  }
}

void PartitionReader::add(Entry&& entry, ImportedPage& page) const {
  if (read_.scope && !read_.scope->contains(entry.dn)) return;
  const ObjectTypeSchema* type = mapper_.object_type(entry);
  if (!type) return;
  std::string anchor = mapper_.anchor(entry);
  if (anchor.empty()) {
    page.warnings.push_back("\"" + entry.dn + "\" has no readable " +
                            std::string(options_.anchor_attribute()) + "; skipped");
    return;
  }
  mapper_.complete_ranges(connection_, entry);
  page.objects.push_back(mapper_.to_imported(std::move(entry), *type, std::move(anchor)));
}

}  // namespace idsync::ldap
