// An open-addressing hash multimap from 64-bit hashes to small POD values.
//
// Duplicate detection and snapshot comparison keep one entry per object for files of millions
// of rows. std::unordered_map spends a heap node per entry; this table is one flat array of
// {key, value} slots (24 bytes for two uint64 values), kept at most 3/4 full. It is a multimap
// on purpose: keys are hashes, two different anchors can share one, and callers confirm a match
// against the real anchor instead of trusting the hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace idsync::file {

template <class Value>
class HashIndex {
 public:
  explicit HashIndex(std::size_t expected = 0) { rehash(capacity_for(expected)); }

  void insert(uint64_t key, const Value& value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) rehash(slots_.size() * 2);
    place(normalize(key), value);
    ++size_;
  }

  // Calls fn(Value&) for every entry with this key until fn returns true; returns whether it
  // did (i.e. the entry fn was looking for was found).
  template <class Fn>
  bool find_if(uint64_t key, Fn&& fn) {
    key = normalize(key);
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == 0) return false;
      if (s.key == key && fn(s.value)) return true;
    }
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t key;  // 0: empty
    Value value;
  };
  // 0 marks empty slots, so a hash of 0 is stored as 1. Harmless: matches are confirmed.
  static uint64_t normalize(uint64_t key) { return key == 0 ? 1 : key; }
  static std::size_t capacity_for(std::size_t n) {
    std::size_t c = 16;
    while (c * 3 < n * 4 + 4) c *= 2;
    return c;
  }
  void place(uint64_t key, const Value& value) {
    // The keys are already well-mixed hashes: the low bits are a fine slot index.
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].key == 0) {
        slots_[i] = Slot{key, value};
        return;
      }
    }
  }
  void rehash(std::size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{0, Value{}});
    mask_ = capacity - 1;
    for (const Slot& s : old)
      if (s.key != 0) place(s.key, s.value);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace idsync::file
