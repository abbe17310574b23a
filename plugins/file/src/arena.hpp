// A bump allocator for the bytes of one record (unescaped CSV fields, decoded base64, unfolded
// LDIF lines, JSON strings). Records hand out string_views; the views must stay valid until the
// next record is read, and copying every value into its own std::string would cost one
// allocation per value. The arena keeps its chunks across reset(), so a steady stream of records
// allocates nothing after the first few.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace idsync::file {

class Arena {
 public:
  explicit Arena(std::size_t chunk_size = 64 * 1024) : chunk_size_(chunk_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns n writable bytes that stay valid until reset(). Never moves earlier allocations,
  // which is the whole point: views into the arena survive later allocations.
  char* allocate(std::size_t n) {
    while (current_ < chunks_.size()) {
      Chunk& c = chunks_[current_];
      if (c.size - c.used >= n) {
        char* p = c.data.get() + c.used;
        c.used += n;
        return p;
      }
      ++current_;
    }
    const std::size_t size = n > chunk_size_ ? n : chunk_size_;
    chunks_.push_back(Chunk{std::make_unique<char[]>(size), size, n});
    current_ = chunks_.size() - 1;
    return chunks_.back().data.get();
  }

  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = allocate(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Forgets every allocation but keeps the memory for the next record.
  void reset() {
    for (Chunk& c : chunks_) c.used = 0;
    current_ = 0;
  }

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t size;
    std::size_t used;
  };
  std::size_t chunk_size_;
  std::vector<Chunk> chunks_;
  std::size_t current_ = 0;
};

}  // namespace idsync::file
