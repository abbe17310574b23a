#include "store/migrations.hpp"

#include "store/store.hpp"

namespace idsync::store {

void migrate_from(Store& store, uint32_t from, rocksdb::WriteBatch&) {
  // Version 1 is the first schema; there is nothing older to read. A future version N adds a
  // case N-1 here that rewrites records of the old format.
  throw StoreError("store " + store.path().string() + ": no migration from schema version " +
                   std::to_string(from));
}

}  // namespace idsync::store
