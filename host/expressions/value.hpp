// The value model of the expression language.
//
// A Value is a list of zero or more typed scalars: zero scalars is NULL (the attribute is
// absent), one is a single-valued attribute, several a multi-valued one. Scalar types are the
// SDK's IDSYNC_VALUE_* so that values cross the plugin ABI without translation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace idsync::expr {

// Same numbering as IDSYNC_VALUE_* in idsync/plugin_abi.h (checked in value.cpp).
enum class ValueType : std::uint32_t {
  string = 0,
  binary = 1,
  integer = 2,
  boolean = 3,
  reference = 4,
  datetime = 5,
};

// "string", "binary", ... for error messages.
std::string_view type_name(ValueType type);

// One typed value. `bytes` holds the payload of string (UTF-8), binary (raw bytes) and
// reference (DN text); `number` holds integer, boolean (0/1) and datetime (microseconds since
// 1970-01-01T00:00:00Z, UTC). The unused member is zero/empty so that == compares payloads.
struct Scalar {
  ValueType type = ValueType::string;
  std::int64_t number = 0;
  std::string bytes;

  static Scalar string(std::string text) { return {ValueType::string, 0, std::move(text)}; }
  static Scalar binary(std::string raw) { return {ValueType::binary, 0, std::move(raw)}; }
  static Scalar reference(std::string dn) { return {ValueType::reference, 0, std::move(dn)}; }
  static Scalar integer(std::int64_t n) { return {ValueType::integer, n, {}}; }
  static Scalar boolean(bool b) { return {ValueType::boolean, b ? 1 : 0, {}}; }
  static Scalar datetime(std::int64_t micros) { return {ValueType::datetime, micros, {}}; }

  bool is_text() const { return type == ValueType::string || type == ValueType::reference; }
  friend bool operator==(const Scalar&, const Scalar&) = default;
};

// A list of scalars. Most attributes are single-valued, so one scalar is stored inline and a
// single-valued Value costs no allocation beyond its string payload; two or more live in a
// vector.
class Value {
 public:
  Value() = default;
  Value(Scalar one) : size_(1), one_(std::move(one)) {}  // NOLINT: implicit by design
  Value(std::vector<Scalar> many);                       // NOLINT: implicit by design

  static Value null() { return {}; }
  static Value string(std::string text) { return Scalar::string(std::move(text)); }
  static Value integer(std::int64_t n) { return Scalar::integer(n); }
  static Value boolean(bool b) { return Scalar::boolean(b); }
  static Value binary(std::string raw) { return Scalar::binary(std::move(raw)); }
  static Value reference(std::string dn) { return Scalar::reference(std::move(dn)); }
  static Value datetime(std::int64_t micros) { return Scalar::datetime(micros); }
  // A multi-valued string, e.g. strings({"a", "b"}).
  static Value strings(std::initializer_list<std::string_view> texts);

  bool is_null() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::span<const Scalar> items() const {
    return size_ <= 1 ? std::span<const Scalar>(&one_, size_) : std::span<const Scalar>(many_);
  }
  std::span<Scalar> items() {
    return size_ <= 1 ? std::span<Scalar>(&one_, size_) : std::span<Scalar>(many_);
  }
  const Scalar& operator[](std::size_t i) const { return items()[i]; }
  Scalar& operator[](std::size_t i) { return items()[i]; }
  auto begin() const { return items().begin(); }
  auto end() const { return items().end(); }

  void push_back(Scalar s);
  void clear();

  friend bool operator==(const Value& a, const Value& b);

 private:
  std::uint32_t size_ = 0;
  Scalar one_;                // the value when size_ == 1
  std::vector<Scalar> many_;  // all values when size_ >= 2
};

// Text form of a scalar, as CStr and "&" produce it: strings and references as is, integers in
// decimal, booleans "True"/"False", datetimes RFC 3339 UTC. Binary has no text form: nullopt.
std::optional<std::string> to_text(const Scalar& s);
void append_text(const Scalar& s, std::string& out);  // precondition: s.type != binary

// Strict decimal parse of a signed 64-bit integer ("-42"; no spaces, no "+", no overflow).
std::optional<std::int64_t> parse_integer(std::string_view text);

// RFC 3339 (UTC "Z" or a "+hh:mm"/"-hh:mm" offset; optional fraction, kept to microseconds)
// to microseconds since the Unix epoch. Also accepts a plain date "YYYY-MM-DD" (midnight UTC).
std::optional<std::int64_t> parse_datetime(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ", with ".ffffff" (trailing zeros dropped) when there is a fraction.
std::string format_datetime(std::int64_t micros);

// A debugging/test rendering: NULL, "text", 42, True, [ref], #2026-01-01T00:00:00Z#, 0x0a0b,
// multi-valued as {a, b}.
std::string describe(const Value& v);
std::string describe(const Scalar& s);

}  // namespace idsync::expr
