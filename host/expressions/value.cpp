#include "expressions/value.hpp"

#include <idsync/plugin_abi.h>

#include <charconv>
#include <chrono>
#include <cstdio>

namespace idsync::expr {

static_assert(static_cast<std::uint32_t>(ValueType::string) == IDSYNC_VALUE_STRING);
static_assert(static_cast<std::uint32_t>(ValueType::binary) == IDSYNC_VALUE_BINARY);
static_assert(static_cast<std::uint32_t>(ValueType::integer) == IDSYNC_VALUE_INTEGER);
static_assert(static_cast<std::uint32_t>(ValueType::boolean) == IDSYNC_VALUE_BOOLEAN);
static_assert(static_cast<std::uint32_t>(ValueType::reference) == IDSYNC_VALUE_REFERENCE);
static_assert(static_cast<std::uint32_t>(ValueType::datetime) == IDSYNC_VALUE_DATETIME);

std::string_view type_name(ValueType type) {
  switch (type) {
    case ValueType::string:
      return "string";
    case ValueType::binary:
      return "binary";
    case ValueType::integer:
      return "integer";
    case ValueType::boolean:
      return "boolean";
    case ValueType::reference:
      return "reference";
    case ValueType::datetime:
      return "datetime";
  }
  return "unknown";
}

Value::Value(std::vector<Scalar> many) {
  if (many.size() == 1) {
    one_ = std::move(many.front());
    size_ = 1;
  } else if (many.size() > 1) {
    size_ = static_cast<std::uint32_t>(many.size());
    many_ = std::move(many);
  }
}

Value Value::strings(std::initializer_list<std::string_view> texts) {
  Value v;
  for (std::string_view t : texts) v.push_back(Scalar::string(std::string(t)));
  return v;
}

void Value::push_back(Scalar s) {
  if (size_ == 0) {
    one_ = std::move(s);
  } else {
    if (size_ == 1) {
      many_.reserve(4);
      many_.push_back(std::move(one_));
      one_ = Scalar{};
    }
    many_.push_back(std::move(s));
  }
  ++size_;
}

void Value::clear() {
  size_ = 0;
  one_ = Scalar{};
  many_.clear();
}

bool operator==(const Value& a, const Value& b) {
  auto x = a.items();
  auto y = b.items();
  return std::equal(x.begin(), x.end(), y.begin(), y.end());
}

void append_text(const Scalar& s, std::string& out) {
  switch (s.type) {
    case ValueType::string:
    case ValueType::reference:
    case ValueType::binary:
      out += s.bytes;
      return;
    case ValueType::integer: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, s.number);
      out.append(buf, r.ptr);
      return;
    }
    case ValueType::boolean:
      out += s.number ? "True" : "False";
      return;
    case ValueType::datetime:
      out += format_datetime(s.number);
      return;
  }
}

std::optional<std::string> to_text(const Scalar& s) {
  if (s.type == ValueType::binary) return std::nullopt;
  std::string out;
  append_text(s, out);
  return out;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (text.empty() || text.front() == '+') return std::nullopt;
  std::int64_t n = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (r.ec != std::errc{} || r.ptr != text.data() + text.size()) return std::nullopt;
  return n;
}

namespace {

using namespace std::chrono;

bool digits(std::string_view t, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > t.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    out = out * 10 + (t[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_datetime(std::string_view t) {
  int y, mo, d;
  if (!digits(t, 0, 4, y) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' ||
      !digits(t, 8, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t micros = duration_cast<microseconds>(sys_days{ymd}.time_since_epoch()).count();
  if (t.size() == 10) return micros;
  int h, mi, s;
  if (t.size() < 20 || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, h) ||
      t[13] != ':' || !digits(t, 14, 2, mi) || t[16] != ':' || !digits(t, 17, 2, s))
    return std::nullopt;
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;  // 60: a leap second, folded below
  micros += (static_cast<std::int64_t>(h) * 3600 + mi * 60 + s) * 1'000'000;
  std::size_t pos = 19;
  if (t[pos] == '.') {
    ++pos;
    std::int64_t frac = 0;
    int scale = 0;
    std::size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (scale < 6) {
        frac = frac * 10 + (t[pos] - '0');
        ++scale;
      }
      ++pos;
    }
    if (pos == start) return std::nullopt;
    while (scale < 6) {
      frac *= 10;
      ++scale;
    }
    micros += frac;
  }
  if (pos >= t.size()) return std::nullopt;
  if ((t[pos] == 'Z' || t[pos] == 'z') && pos + 1 == t.size()) return micros;
  int oh, om;
  if ((t[pos] == '+' || t[pos] == '-') && pos + 6 == t.size() && digits(t, pos + 1, 2, oh) &&
      t[pos + 3] == ':' && digits(t, pos + 4, 2, om)) {
    std::int64_t offset = (static_cast<std::int64_t>(oh) * 3600 + om * 60) * 1'000'000;
    return t[pos] == '+' ? micros - offset : micros + offset;
  }
  return std::nullopt;
}

std::string format_datetime(std::int64_t micros) {
  sys_time<microseconds> tp{microseconds{micros}};
  sys_days day_point = floor<days>(tp);
  year_month_day ymd{day_point};
  std::int64_t in_day = (tp - day_point).count();
  std::int64_t secs = in_day / 1'000'000;
  std::int64_t frac = in_day % 1'000'000;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d",
                        static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(secs / 3600),
                        static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

std::string describe(const Scalar& s) {
  static constexpr char hex[] = "0123456789abcdef";
  switch (s.type) {
    case ValueType::string:
      return "\"" + s.bytes + "\"";
    case ValueType::reference:
      return "[" + s.bytes + "]";
    case ValueType::binary: {
      std::string out = "0x";
      for (unsigned char c : s.bytes) {
        out += hex[c >> 4];
        out += hex[c & 15];
      }
      return out;
    }
    case ValueType::datetime:
      return "#" + format_datetime(s.number) + "#";
    case ValueType::integer:
    case ValueType::boolean:
      return *to_text(s);
  }
  return {};
}

std::string describe(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.size() == 1) return describe(v[0]);
  std::string out = "{";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += describe(v[i]);
  }
  return out + "}";
}

}  // namespace idsync::expr
