// In-place upgrades of older stores, one step per schema version (the DirSync "in-place
// upgrade" the product promises). Each step adds its writes to the batch it is given; the
// store commits that batch together with the version bump.
#pragma once

#include <rocksdb/write_batch.h>

#include <cstdint>

namespace idsync::store {

class Store;

// Migrates data written at schema `from` to `from + 1`.
void migrate_from(Store& store, uint32_t from, rocksdb::WriteBatch& batch);

}  // namespace idsync::store
