// Python's number and string formatting, as Locust's console tables and CSV files show them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hornet::stats {

/// Python's repr()/str() of a float: the shortest digits that round-trip, in fixed notation when
/// the decimal exponent is in [-4, 16), else in scientific notation with a signed exponent of at
/// least two digits. Examples: "160.0", "7.10882926732733", "0.0001", "1e-05", "1e+16",
/// "1.5e+300", "-0.0", "inf", "nan".
std::string python_float_repr(double value);

/// Python's int(value) for a finite float: truncation toward zero, saturated to int64.
std::int64_t python_int(double value) noexcept;

/// Python's "%-Ns" % s: `s` left-justified in `width` characters (code points of UTF-8, as Python
/// counts them); never truncated.
std::string pad_right(std::string_view s, std::size_t width);

/// Python's "%Ns" % s: `s` right-justified in `width` characters; never truncated.
std::string pad_left(std::string_view s, std::size_t width);

/// Python's "%Nd" % value for a float (truncated, like int()); `width` 0 means no padding.
std::string format_d(double value, int width = 0);
/// Python's "%Nd" % value for an int.
std::string format_d(std::uint64_t value, int width = 0);

/// Python's "%N.Pf" % value (`width` 0 means no padding).
std::string format_f(double value, int precision, int width = 0);

}  // namespace hornet::stats
