// Typed reading of JSON values with diagnostics: the shared vocabulary of every check, so that
// all messages about types, missing keys and unknown keys read the same.
#ifndef IDSYNC_MANIFEST_JSON_ACCESS_HPP
#define IDSYNC_MANIFEST_JSON_ACCESS_HPP

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/diagnostics.hpp"

namespace idsync::manifest {

// What a value is, with its article, for "found ...": "a string", "a number", "a fractional
// number" (a double that is not a whole number), "a boolean", "null", "an array", "an object".
std::string_view describe_kind(const boost::json::value& v);

// "expected <what>, found <kind of v>".
std::string expected_found(std::string_view what, const boost::json::value& v);

// "an integer" or "an integer 1..65535" (the range only when min < max, as in the ABI).
std::string integer_expectation(std::int64_t min, std::int64_t max);

inline constexpr std::string_view kMissingRequired = "required key is missing";
inline constexpr std::string_view kUnknownKey = "unknown key";

// Adds `<path>.<key>: unknown key[; did you mean "..."?]` for every key of `object` that is not
// in `known`.
void check_known_keys(const boost::json::object& object, std::string_view path,
                      const std::vector<std::string_view>& known,
                      std::vector<Diagnostic>& problems);

// A whole number in [min, max] (the full int64 range when min >= max). Integral doubles such as
// 5.0 count, since JSON does not tell integers apart. Adds a problem at `path` and returns
// nothing otherwise: wrong type `expected an integer 1..65535, found a string`, out of range
// `expected an integer 1..65535`.
std::optional<std::int64_t> read_integer(const boost::json::value& v, std::int64_t min,
                                         std::int64_t max, const std::string& path,
                                         std::vector<Diagnostic>& problems);

enum class Need { kOptional, kRequired };

// Reads the members of one JSON object. The constructor reports unknown keys at once; each
// getter returns the member when it is present and well typed, adds a problem when it is
// present and wrong (or missing and required) and returns nothing otherwise, leaving the
// caller's default untouched.
class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, std::string path,
               std::vector<std::string_view> known, std::vector<Diagnostic>& problems);

  // The path of the object itself.
  const std::string& where() const { return path_; }
  std::string path_of(std::string_view key) const;
  const boost::json::value* find(std::string_view key, Need need = Need::kOptional);
  void error(std::string_view key, std::string message);

  std::optional<std::string> string(std::string_view key, Need need = Need::kOptional);
  // A non-empty string ("must not be empty").
  std::optional<std::string> name(std::string_view key, Need need = Need::kOptional);
  std::optional<bool> boolean(std::string_view key, Need need = Need::kOptional);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max,
                                      Need need = Need::kOptional);
  const boost::json::object* object(std::string_view key, Need need = Need::kOptional);
  const boost::json::array* array(std::string_view key, Need need = Need::kOptional);
  // A non-empty string resolved against `base_dir` (see paths.hpp).
  std::optional<std::filesystem::path> path(std::string_view key,
                                            const std::filesystem::path& base_dir,
                                            Need need = Need::kOptional);
  // An array of distinct non-empty strings ("expected an array of strings, found ..."); a bad
  // element is reported at its index (`must not be empty`, `"x" is listed twice`) and skipped.
  std::optional<std::vector<std::string>> names(std::string_view key, Need need = Need::kOptional);
  // A string that must be one of `allowed` (exact case): `expected one of "a", "b"` plus a
  // did-you-mean.
  std::optional<std::string> one_of(std::string_view key,
                                    const std::vector<std::string_view>& allowed,
                                    Need need = Need::kOptional);

 private:
  const boost::json::object& object_;
  std::string path_;
  std::vector<Diagnostic>& problems_;
};

// `one of "csv", "ldif", "jsonl"`, to follow "expected ".
std::string one_of_expectation(const std::vector<std::string_view>& allowed);

}  // namespace idsync::manifest

#endif  // IDSYNC_MANIFEST_JSON_ACCESS_HPP
