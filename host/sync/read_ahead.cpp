#include "sync/read_ahead.hpp"

#include <utility>

namespace idsync::sync {

void ReadAhead::start(std::string after) {
  if (started_) take();
  started_ = true;
  seen_ = plan_.store->batches_waited();
  direct_writes_ = plan_.store->direct_writes();
  reads_.reset();
  freeing_ = std::exchange(spent_, {});
  thread_.start([this, after = std::move(after)] {
    freeing_.clear();
    const store::Store::ReadAheadScope ahead;
    reads_ = read_batch(plan_, after);
  });
}

std::optional<BatchReads> ReadAhead::take() {
  if (!started_) return std::nullopt;
  started_ = false;
  thread_.wait();
  std::optional<BatchReads> reads = std::exchange(reads_, std::nullopt);
  const auto written = plan_.store->written_after(seen_);
  if (!written || plan_.store->direct_writes() != direct_writes_) return std::nullopt;
  for (const store::WrittenKeys* keys : *written)
    if (!drop_written(*reads, *keys, plan_.connector_id)) return std::nullopt;
  return reads;
}

}  // namespace idsync::sync
