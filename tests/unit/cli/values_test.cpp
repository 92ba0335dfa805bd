#include "cli/values.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hornet::cli {
namespace {

TEST(ParseBool, AcceptsConfigargparseWordsInAnyCase) {
  for (const char* text : {"true", "TRUE", "True", "yes", "YES", "on", "On", "1"}) {
    const Result<bool> value = parse_bool(text);
    ASSERT_TRUE(value.ok()) << text;
    EXPECT_TRUE(*value) << text;
  }
  for (const char* text : {"false", "FALSE", "no", "No", "off", "OFF", "0"}) {
    const Result<bool> value = parse_bool(text);
    ASSERT_TRUE(value.ok()) << text;
    EXPECT_FALSE(*value) << text;
  }
}

TEST(ParseBool, RejectsAnythingElseNamingTheWords) {
  for (const char* text : {"", "maybe", "2", "t", "y", "truee", " true", "yes "}) {
    const Result<bool> value = parse_bool(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.error().message, "invalid boolean value: '" + std::string(text) +
                                         "' (use true/false, yes/no, on/off or 1/0)");
  }
}

TEST(ParseInt, AcceptsSignedDecimals) {
  const std::vector<std::pair<std::string, int>> cases = {{"0", 0},
                                                          {"42", 42},
                                                          {"-1", -1},
                                                          {"+7", 7},
                                                          {"007", 7},
                                                          {"2147483647", 2147483647},
                                                          {"-2147483648", -2147483647 - 1}};
  for (const auto& [text, expected] : cases) {
    const Result<int> value = parse_int(text);
    ASSERT_TRUE(value.ok()) << text;
    EXPECT_EQ(*value, expected) << text;
  }
}

TEST(ParseInt, RejectsNonIntegers) {
  for (const char* text : {"", "abc", "1.5", "1e3", "0x10", " 5", "5 ", "5abc", "+", "-", "++5",
                           "+-5", "--5", "1_000"}) {
    const Result<int> value = parse_int(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.error().message, "invalid int value: '" + std::string(text) + "'");
  }
}

TEST(ParseInt, OutOfRangeSaysTheRange) {
  for (const char* text : {"2147483648", "-2147483649", "99999999999999999999"}) {
    const Result<int> value = parse_int(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.error().message, "invalid value: '" + std::string(text) +
                                         "' (must be between -2147483648 and 2147483647)");
  }
}

TEST(ParseFloat, AcceptsDecimalAndScientific) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"1", 1.0},      {"2.5", 2.5},   {".5", 0.5}, {"5.", 5.0},
      {"1e3", 1000.0}, {"-0.5", -0.5}, {"+3", 3.0}};
  for (const auto& [text, expected] : cases) {
    const Result<double> value = parse_float(text);
    ASSERT_TRUE(value.ok()) << text;
    EXPECT_DOUBLE_EQ(*value, expected) << text;
  }
}

TEST(ParseFloat, RejectsNonNumbersAndNonFinite) {
  for (const char* text : {"", "abc", "1,5", " 1", "1 ", "1.5x", "inf", "-inf", "nan", "1e999",
                           "+-1", "++1", "0x1p3"}) {
    const Result<double> value = parse_float(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.error().message, "invalid float value: '" + std::string(text) + "'");
  }
}

struct SplitCase {
  std::string text;
  std::vector<std::string> items;
};

class SplitList : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitList, SplitsAtCommasAndStripsBracketsSpacesAndQuotes) {
  EXPECT_EQ(split_list(GetParam().text), GetParam().items);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SplitList,
    ::testing::Values(SplitCase{"", {}}, SplitCase{"[]", {}}, SplitCase{"  ", {}},
                      SplitCase{"a", {"a"}}, SplitCase{"a,b", {"a", "b"}},
                      SplitCase{" a , b ", {"a", "b"}}, SplitCase{"[a, b]", {"a", "b"}},
                      SplitCase{"[\"a\", 'b']", {"a", "b"}}, SplitCase{"a,,b,", {"a", "b"}},
                      SplitCase{"[a]", {"a"}}, SplitCase{"a b", {"a b"}},
                      SplitCase{"x.py,y.py", {"x.py", "y.py"}},
                      // Only a pair of brackets around the whole value is list syntax.
                      SplitCase{"[a", {"[a"}}, SplitCase{"a]", {"a]"}}));

}  // namespace
}  // namespace hornet::cli
