// Prefix extractors for the families read by exact-prefix lookups, so that RocksDB keeps a
// bloom filter of those prefixes and a lookup of a prefix no table holds reads no table.
//
// Projecting a new person asks the join index whether any MV object already has its
// employeeId, and linking an object asks whether references wait for it. The answer is
// nearly always no, yet a seek costs a positioned read in every level and in every table file
// of the first one; in a 1,000,000-object store those two lookups were a sixth of a sync
// step's engine thread.
//
// Each extractor takes the lookup prefix of a key: the whole key minus what follows the
// prefix. A key too short or malformed to hold one is out of the domain (no filter is used
// for it), so scans by a shorter prefix (all of a connector's waits) stay correct. Reads use
// the filter only when they ask for it (Store::iterator, `prefix_lookup`); every other scan
// orders over the whole family as before.
#pragma once

#include <rocksdb/slice_transform.h>

#include <memory>

namespace idsync::store {

// mv_join (join_index.hpp): mv type, attribute, value, each varint-length-prefixed; the MV id
// that follows is not part of the prefix.
std::shared_ptr<const rocksdb::SliceTransform> join_value_prefix();

// ref_wait (reference_waits.hpp): connector id, kind, then for 'i' the u32 length and the
// awaited DN or anchor, for 'o' the awaited MV id; the waiter that follows is not part of it.
std::shared_ptr<const rocksdb::SliceTransform> awaited_object_prefix();

// link_mv (links.hpp): the MV id (8 bytes) that every link of one MV object starts with; the
// connector id that follows is not part of it. The family keeps whole-key filters as well, for
// the lookup of one link.
std::shared_ptr<const rocksdb::SliceTransform> mv_id_prefix();

}  // namespace idsync::store
