#include "stats/pyformat.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <utility>

namespace hornet::stats {
namespace {

TEST(PyFormatTest, FloatReprMatchesPython) {
  // Expected values printed by CPython 3's repr().
  const std::pair<double, const char*> cases[] = {
      {160.0, "160.0"},
      {7.10882926732733, "7.10882926732733"},
      {1e-05, "1e-05"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {0.0001, "0.0001"},
      {0.00012345, "0.00012345"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {0.5, "0.5"},
      {100.0, "100.0"},
      {1234.5, "1234.5"},
      {2.056074999984503, "2.056074999984503"},
      {33.214653475974885, "33.214653475974885"},
      {16.942828288249814, "16.942828288249814"},
      {9999999999999998.0, "9999999999999998.0"},
      {12345678901234567.0, "1.2345678901234568e+16"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {1e22, "1e+22"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-1.5e-7, "-1.5e-07"},
      {-42.25, "-42.25"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::nan(""), "nan"},
  };
  for (const auto& [value, expected] : cases) {
    EXPECT_EQ(python_float_repr(value), expected) << expected;
  }
}

TEST(PyFormatTest, IntTruncatesTowardZero) {
  EXPECT_EQ(python_int(7.9), 7);
  EXPECT_EQ(python_int(-7.9), -7);
  EXPECT_EQ(python_int(-0.5), 0);
  EXPECT_EQ(python_int(1795808781.86), 1795808781);
  EXPECT_EQ(python_int(1e300), std::numeric_limits<std::int64_t>::max());
}

TEST(PyFormatTest, PercentFormatsMatchPython) {
  // '%7.2f|%11.2f|%d|%7d|%.2f%%' % (16.942828288249814, 0.005, 7.9, -0.5, 31.818181818181817)
  EXPECT_EQ(format_f(16.942828288249814, 2, 7), "  16.94");
  EXPECT_EQ(format_f(0.005, 2, 11), "       0.01");
  EXPECT_EQ(format_d(7.9), "7");
  EXPECT_EQ(format_d(-0.5, 7), "      0");
  EXPECT_EQ(format_d(std::uint64_t{18446744073709551615u}), "18446744073709551615");
  EXPECT_EQ(format_f(31.818181818181817, 2), "31.82");
  // f"{x:2f}": width 2, six decimals.
  EXPECT_EQ(format_f(3, 6, 2), "3.000000");
  EXPECT_EQ(format_f(1234.5, 6, 2), "1234.500000");
}

TEST(PyFormatTest, PaddingCountsCharactersAndNeverTruncates) {
  EXPECT_EQ(pad_right("GET ", 8), "GET     ");
  EXPECT_EQ(pad_left("# reqs", 7), " # reqs");
  EXPECT_EQ(pad_right("/very/long/name", 4), "/very/long/name");
  EXPECT_EQ(pad_left("12345678", 4), "12345678");
  EXPECT_EQ(pad_right("h\xC3\xA9llo", 6), "h\xC3\xA9llo ");  // "héllo" is 5 characters
  EXPECT_EQ(pad_left("\xE2\x82\xAC", 3), "  \xE2\x82\xAC");  // "€" is 1 character
  EXPECT_EQ(pad_right("", 0), "");
}

}  // namespace
}  // namespace hornet::stats
