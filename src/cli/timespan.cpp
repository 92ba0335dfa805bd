#include "cli/timespan.hpp"

#include <array>
#include <cstdint>

namespace hornet::cli {
namespace {

constexpr std::int64_t kMaxSeconds = kMaxTimespan.count();

struct Unit {
  char suffix;
  std::int64_t seconds;
};
constexpr std::array<Unit, 3> kUnits{{{'h', 3600}, {'m', 60}, {'s', 1}}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

Error invalid(std::string_view text) {
  return Error{"invalid timespan: '" + std::string(text) +
               "'. Valid formats are: 20, 20s, 3m, 2h, 1h20m, 3h30m10s, etc."};
}

// Reads the digits at text[pos...] as a count of `unit_seconds`, advancing pos. Fails on no digits
// and on any value that would make the span exceed kMaxSeconds, checked digit by digit so that a
// long run of digits cannot overflow the accumulator first.
bool read_count(std::string_view text, std::size_t& pos, std::int64_t unit_seconds,
                std::int64_t& seconds) {
  const std::size_t start = pos;
  std::int64_t count = 0;
  for (; pos < text.size() && is_digit(text[pos]); ++pos) {
    count = count * 10 + (text[pos] - '0');
    if (count > kMaxSeconds / unit_seconds) return false;
  }
  seconds = count * unit_seconds;
  return pos > start;
}

}  // namespace

Result<std::chrono::seconds> parse_timespan(std::string_view text) {
  std::size_t pos = 0;
  std::int64_t total = 0;
  std::int64_t seconds = 0;
  if (read_count(text, pos, 1, seconds) && pos == text.size()) {
    return std::chrono::seconds(seconds);
  }
  // Not a bare number: components in h, m, s order, each "<digits><unit>".
  pos = 0;
  std::size_t next_unit = 0;
  while (pos < text.size()) {
    if (!read_count(text, pos, 1, seconds) || pos == text.size()) return invalid(text);
    std::size_t unit = next_unit;
    while (unit < kUnits.size() && kUnits[unit].suffix != text[pos]) ++unit;
    if (unit == kUnits.size()) return invalid(text);
    // Re-check the range now that the unit is known.
    if (seconds > (kMaxSeconds - total) / kUnits[unit].seconds) return invalid(text);
    total += seconds * kUnits[unit].seconds;
    next_unit = unit + 1;
    ++pos;
  }
  if (next_unit == 0) return invalid(text);  // empty text
  return std::chrono::seconds(total);
}

std::string format_timespan(std::chrono::seconds span) {
  std::int64_t left = span.count();
  std::string out;
  if (left < 0) {
    out += '-';
    // Negating the minimum would overflow; spans that large are not meaningful anyway.
    left = left == INT64_MIN ? INT64_MAX : -left;
  }
  for (const Unit& unit : kUnits) {
    const std::int64_t count = left / unit.seconds;
    left %= unit.seconds;
    if (count > 0 || (unit.suffix == 's' && (out.empty() || out == "-"))) {
      out += std::to_string(count);
      out += unit.suffix;
    }
  }
  return out;
}

}  // namespace hornet::cli
