#include "stats/pyformat.hpp"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace hornet::stats {

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";

  // std::to_chars without a precision gives the shortest round-trip digits, the same digits
  // Python's repr picks; only the layout differs.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));

  std::string out;
  std::size_t pos = 0;
  if (sci[pos] == '-') {
    out += '-';
    ++pos;
  }
  const std::size_t e = sci.find('e');
  std::string digits;
  for (std::size_t i = pos; i < e; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  // Python's decpt: value = 0.d1d2... * 10^decpt.
  const int decpt = exponent + 1;
  const int ndigits = static_cast<int>(digits.size());

  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (ndigits > 1) {
      out += '.';
      out.append(digits, 1);
    }
    char exp_text[16];
    std::snprintf(exp_text, sizeof(exp_text), "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    out += exp_text;
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-decpt), '0');
    out += digits;
  } else if (decpt >= ndigits) {
    out += digits;
    out.append(static_cast<std::size_t>(decpt - ndigits), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<std::size_t>(decpt));
    out += '.';
    out.append(digits, static_cast<std::size_t>(decpt));
  }
  return out;
}

std::int64_t python_int(double value) noexcept {
  if (std::isnan(value)) return 0;
  constexpr double kLimit = 9223372036854775807.0;  // rounds to 2^63
  if (value >= kLimit) return std::numeric_limits<std::int64_t>::max();
  if (value <= -kLimit) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(value);
}

namespace {

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

std::string pad_right(std::string_view s, std::size_t width) {
  std::string out(s);
  const std::size_t length = code_points(s);
  if (length < width) out.append(width - length, ' ');
  return out;
}

std::string pad_left(std::string_view s, std::size_t width) {
  const std::size_t length = code_points(s);
  std::string out;
  if (length < width) out.append(width - length, ' ');
  out += s;
  return out;
}

std::string format_d(double value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%*" PRId64, width, python_int(value));
  return buffer;
}

std::string format_d(std::uint64_t value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%*" PRIu64, width, value);
  return buffer;
}

std::string format_f(double value, int precision, int width) {
  // glibc's printf rounds the exact binary value correctly, as Python's %-formatting does.
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), "%*.*f", width, precision, value);
  return buffer;
}

}  // namespace hornet::stats
