#include "manifest/delete_limit.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "manifest/json_access.hpp"

namespace idsync::manifest {

namespace {

constexpr std::string_view kLimit = R"(an integer >= 0 or a percentage "1%".."100%")";
constexpr std::string_view kPercentage = R"(a percentage "1%".."100%")";

// "N%" with N 1..100, digits only: no sign, space or fraction.
std::optional<std::uint64_t> parse_percentage(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') return std::nullopt;
  const std::string_view digits = text.substr(0, text.size() - 1);
  std::uint64_t n = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (error != std::errc() || end != digits.data() + digits.size() || n < 1 || n > 100)
    return std::nullopt;
  return n;
}

}  // namespace

std::optional<common::DeleteLimit> read_delete_limit(const boost::json::value& v,
                                                     const std::string& path,
                                                     std::vector<Diagnostic>& problems) {
  if (v.is_string()) {
    const std::string_view text(v.get_string().data(), v.get_string().size());
    if (auto n = parse_percentage(text)) return common::DeleteLimit::share(*n);
    problems.push_back(
        {path, "expected " + std::string(kPercentage) + ", found \"" + std::string(text) + "\""});
    return std::nullopt;
  }
  if (v.is_uint64()) return common::DeleteLimit::count(v.get_uint64());
  if (v.is_int64()) {
    if (v.get_int64() >= 0)
      return common::DeleteLimit::count(static_cast<std::uint64_t>(v.get_int64()));
    problems.push_back({path, "expected " + std::string(kLimit)});
    return std::nullopt;
  }
  if (v.is_double() && std::trunc(v.get_double()) == v.get_double()) {
    // JSON does not tell 5.0 from 5; beyond 2^64 it is no count of objects either.
    const double d = v.get_double();
    if (d >= 0 && d < 18446744073709551616.0)
      return common::DeleteLimit::count(static_cast<std::uint64_t>(d));
    problems.push_back({path, "expected " + std::string(kLimit)});
    return std::nullopt;
  }
  problems.push_back({path, expected_found(kLimit, v)});
  return std::nullopt;
}

}  // namespace idsync::manifest
