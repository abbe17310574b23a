#include "hash.hpp"

namespace idsync::file {
namespace {

// The 64-bit finalizer of SplitMix64: every input bit affects every output bit.
inline uint64_t avalanche(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

inline uint64_t load_le(const unsigned char* p, std::size_t n) {
  uint64_t w = 0;
  for (std::size_t i = 0; i < n; ++i) w |= uint64_t{p[i]} << (8 * i);
  return w;
}

inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

}  // namespace

uint64_t hash64(std::string_view bytes, uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  uint64_t h = avalanche(seed ^ (n * 0x9e3779b97f4a7c15ull) ^ 0x2545f4914f6cdd1dull);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) h = rotl(h ^ avalanche(load_le(p + i, 8)), 29) * 0x9e3779b97f4a7c15ull;
  if (i < n)
    h = rotl(h ^ avalanche(load_le(p + i, n - i) ^ 0xff51afd7ed558ccdull), 29) *
        0x9e3779b97f4a7c15ull;
  return avalanche(h);
}

uint64_t content_hash(const Record& record) {
  // Distinct seeds keep a value from colliding with a name or a DN that has the same bytes.
  uint64_t h = hash64(record.object_type, 1) ^ rotl(hash64(record.dn, 2), 17);
  uint64_t attrs = 0;
  for (const Attribute& a : record.attributes()) {
    uint64_t values = 0;
    for (std::string_view v : a.values) values += avalanche(hash64(v, 3));
    const uint64_t meta = (uint64_t{a.type} << 8) | a.op;
    attrs += avalanche(hash64(a.name, 4) ^ rotl(values, 23) ^ (meta * 0xc2b2ae3d27d4eb4full) ^
                       (a.values.size() << 40));
  }
  return avalanche(h ^ rotl(attrs, 31));
}

}  // namespace idsync::file
