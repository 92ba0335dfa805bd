#include "stats/console.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "stats/shard.hpp"
#include "verbatim_run.hpp"

namespace hornet::stats {
namespace {

// Reference §6: the verbatim output of a non-tty headless run (W = 80).
constexpr const char* kVerbatimStatsTable =
    "Type     Name                                                                          # reqs "
    "     # fails |    Avg     Min     Max    Med |   req/s  failures/s\n"
    "--------|----------------------------------------------------------------------------|-------|"
    "-------------|-------|-------|-------|-------|--------|-----------\n"
    "GET      /                                                                                101 "
    "    0(0.00%) |      7       2      51      5 |   16.94        0.00\n"
    "POST     /                                                                                 26 "
    " 26(100.00%) |      5       2      10      5 |    4.36        4.36\n"
    "GET      /missing                                                                          37 "
    " 37(100.00%) |      8       2      45      5 |    6.21        6.21\n"
    "GET      /slow                                                                             34 "
    "    0(0.00%) |    158     155     166    160 |    5.70        0.00\n"
    "--------|----------------------------------------------------------------------------|-------|"
    "-------------|-------|-------|-------|-------|--------|-----------\n"
    "         Aggregated                                                                       198 "
    "  63(31.82%) |     33       2     166      6 |   33.21       10.57\n"
    "\n";

constexpr const char* kVerbatimPercentilesTable =
    "Response time percentiles (approximated)\n"
    "Type     Name                                                                                 "
    " "
    "50%    66%    75%    80%    90%    95%    98%    99%  99.9% 99.99%   100% # reqs\n"
    "--------|--------------------------------------------------------------------------------|----"
    "-"
    "---|------|------|------|------|------|------|------|------|------|------|------\n"
    "GET      /                                                                                    "
    " "
    "  5      7      8      9     11     13     42     46     52     52     52    101\n"
    "POST     /                                                                                    "
    " "
    "  5      6      7      7      8     10     11     11     11     11     11     26\n"
    "GET      /missing                                                                             "
    " "
    "  5      7      9     11     16     42     45     45     45     45     45     37\n"
    "GET      /slow                                                                                "
    " "
    "160    160    160    160    160    170    170    170    170    170    170     34\n"
    "--------|--------------------------------------------------------------------------------|----"
    "-"
    "---|------|------|------|------|------|------|------|------|------|------|------\n"
    "         Aggregated                                                                           "
    " "
    "  6      8     12     24    160    160    160    170    170    170    170    198\n"
    "\n";

constexpr const char* kVerbatimErrorReport =
    "Error report\n"
    "# occurrences      Error                                                                      "
    "  "
    "                       \n"
    "------------------|---------------------------------------------------------------------------"
    "----"
    "--------------------------------------------------------------\n"
    "37                 GET /missing: HTTPError('404 Client Error: Not Found for url: "
    "http://127.0.0.1:18080/missing')      \n"
    "26                 POST /: CatchResponseError('Got wrong response')                           "
    "  "
    "                       \n"
    "------------------|---------------------------------------------------------------------------"
    "----"
    "--------------------------------------------------------------\n"
    "\n";

TEST(ConsoleTest, StatsNameWidthFollowsLocust) {
  EXPECT_EQ(stats_name_width(std::nullopt), 80);
  EXPECT_EQ(stats_name_width(200), 80);
  EXPECT_EQ(stats_name_width(160), 80);
  EXPECT_EQ(stats_name_width(120), 40);
  EXPECT_EQ(stats_name_width(80), 0);
  EXPECT_EQ(stats_name_width(50), 0);
}

TEST(ConsoleTest, FinalSummaryMatchesLocustsVerbatimOutput) {
  const Aggregate aggregate = testing::verbatim_run();
  EXPECT_EQ(stats_table(aggregate, RateColumns::kTotal, 80), kVerbatimStatsTable);
  EXPECT_EQ(percentiles_table(aggregate, 80), kVerbatimPercentilesTable);
  EXPECT_EQ(error_report(aggregate, 80), kVerbatimErrorReport);
}

TEST(ConsoleTest, EmptyAggregatePrintsHeadersOnly) {
  const Aggregate aggregate(1000.0);
  const std::string table = stats_table(aggregate, RateColumns::kCurrent, 80);
  const std::string expected_total_row =
      "         Aggregated                                                                         "
      "0     0(0.00%) |      0       0       0      0 |    0.00        0.00\n";
  EXPECT_EQ(table.substr(0, 161), std::string(kVerbatimStatsTable).substr(0, 161));
  EXPECT_NE(table.find("|-----------\n" + expected_total_row + "\n"), std::string::npos) << table;

  const std::string percentiles = percentiles_table(aggregate, 80);
  const std::string header(kVerbatimPercentilesTable);
  const std::size_t header_end = header.find("GET");
  const std::size_t separator = header.find("--------|");
  const std::string separator_line =
      header.substr(separator, header.find('\n', separator) - separator + 1);
  EXPECT_EQ(percentiles, header.substr(0, header_end) + separator_line + "\n");

  EXPECT_EQ(error_report(aggregate, 80), "");
}

TEST(ConsoleTest, CurrentRowsUseCurrentRates) {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& e = shard.entry("GET", "/c");
  for (int t = 1000; t < 1015; ++t) {
    for (int i = 0; i < 4; ++i) shard.record(e, 2'500, 0, t + 0.5);
    shard.record_failure(e, 2'500, 0, "x", t + 0.5);
  }
  aggregate.merge(shard.take_delta(1015.0), 1015.0);
  const std::string table = stats_table(aggregate, RateColumns::kCurrent, 80);
  // 5 requests and 1 failure in every second of L-12 … L-3.
  EXPECT_NE(table.find("GET      /c                                                              "
                       "                  75   15(20.00%) |      2       2       2      2 |    5.00"
                       "        1.00\n"),
            std::string::npos)
      << table;
}

TEST(ConsoleTest, NarrowTerminalShrinksTheNameColumn) {
  const Aggregate aggregate = testing::verbatim_run();
  const std::string table = stats_table(aggregate, RateColumns::kTotal, 10);
  // N = W - 8 + 4 = 6: "/missing" overflows its column, as in Python.
  EXPECT_NE(table.find("GET      /missing      37  37(100.00%) |"), std::string::npos) << table;
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "Type     Name    # reqs      # fails |    Avg     Min     Max    Med |   req/s  "
            "failures/s");
  // W = 0 gives Python's "%--4s": a left-justified width of 4, and no dashes.
  const std::string tiny = stats_table(aggregate, RateColumns::kTotal, 0);
  EXPECT_EQ(tiny.substr(0, tiny.find('\n')),
            "Type     Name  # reqs      # fails |    Avg     Min     Max    Med |   req/s  "
            "failures/s");
  EXPECT_NE(tiny.find("--------||-------|"), std::string::npos);
  const std::string errors = error_report(aggregate, 0);
  EXPECT_NE(errors.find("------------------|" + std::string(61, '-') + "\n"), std::string::npos);
}

TEST(ConsoleTest, NamesArePaddedByCharactersNotBytes) {
  Aggregate aggregate(0.0);
  Shard shard(0.0);
  shard.record(shard.entry("GET", "/caf\xC3\xA9"), 1'000, 0, 0.5);  // "/café": 5 characters
  aggregate.merge(shard.take_delta(1.0), 1.0);
  const std::string table = percentiles_table(aggregate, 80);
  EXPECT_NE(table.find("GET      /caf\xC3\xA9" + std::string(75, ' ') + "        1 "),
            std::string::npos)
      << table;
}

}  // namespace
}  // namespace hornet::stats
