// Reference waits (store/reference_waits.hpp): what take() finds, including after it has
// learnt that a connector has nothing waiting and so stopped reading the store for it.
#include "store/reference_waits.hpp"

#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"

using namespace idsync::store;
using idsync::testing::TempDir;

namespace {
using Waiters = std::vector<std::string>;
}  // namespace

TEST_CASE("reference waits: a step finds waits of earlier steps, and its own once written") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const std::string ann = ReferenceWaits::inbound_target(7, "CN=Ann");
  const std::string bob = ReferenceWaits::inbound_target(7, "CN=Bob");
  const std::string mv = ReferenceWaits::outbound_target(7, 42);
  {  // An earlier step: a group waits for Ann.
    ReferenceWaits earlier(*store);
    rocksdb::WriteBatch b;
    earlier.wait(b, ann, "group-1");
    store->write(b);
  }
  ReferenceWaits waits(*store);
  rocksdb::WriteBatch b1;
  // Nothing waits on MV objects in connector 7: this kind is not read again.
  CHECK(waits.take(b1, mv).empty());
  CHECK(waits.take(b1, bob).empty());
  CHECK(waits.take(b1, ann) == Waiters{"group-1"});
  store->write(b1);
  waits.flushed();
  // This step records waits of the kind it found empty, in one batch...
  rocksdb::WriteBatch b2;
  waits.wait(b2, mv, "mv-9");
  store->write(b2);
  waits.flushed();
  // ...and takes them in a later one, from the store.
  rocksdb::WriteBatch b3;
  CHECK(waits.take(b3, mv) == Waiters{"mv-9"});
  CHECK(waits.take(b3, ann).empty());  // deleted by the first take, in b1
  store->write(b3);
  CHECK(ReferenceWaits(*store).take(b3, mv).empty());
}

TEST_CASE("reference waits: waits recorded in the same batch are found before it is written") {
  TempDir dir;
  auto store = Store::open(dir / "db");
  const std::string ann = ReferenceWaits::inbound_target(3, "cn=ann");
  ReferenceWaits waits(*store);
  rocksdb::WriteBatch b;
  CHECK(waits.take(b, ann).empty());
  waits.wait(b, ReferenceWaits::inbound_target(3, "CN=ANN"), "group-2");
  CHECK(waits.take(b, ann) == Waiters{"group-2"});
}
