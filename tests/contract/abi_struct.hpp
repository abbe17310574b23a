// Reads a struct a plugin filled, checking its struct_size the way the host does (ABI rule 2).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace idsync::contract {

// A copy of `*p`, or nothing with `problem` set when `p` is NULL or its struct_size is not one
// a plugin can have written. Every field of the structs the kit reads is from ABI minor 0 and
// this host offers minor IDSYNC_ABI_MINOR == 0, so the only valid size is sizeof(T): smaller
// means fields the plugin did not fill, larger is refused by the host. When a minor appends
// fields, the lower bound becomes the size at minor 0 and the copy must zero-extend.
template <class T>
std::optional<T> read_struct(const T* p, const char* what, std::string& problem) {
  if (p == nullptr) {
    problem = std::string(what) + " is a NULL pointer";
    return std::nullopt;
  }
  if (p->struct_size != sizeof(T)) {
    problem = std::string(what) + " has struct_size " + std::to_string(p->struct_size) +
              ", but the ABI 1.0 struct has " + std::to_string(sizeof(T)) +
              " bytes (set it to sizeof of the struct)";
    return std::nullopt;
  }
  T copy;
  std::memcpy(&copy, p, sizeof(T));
  return copy;
}

}  // namespace idsync::contract
