#include "stats/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stats/shard.hpp"
#include "verbatim_run.hpp"

namespace hornet::stats {
namespace {

constexpr const char* kRequestsHeader =
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response "
    "Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,"
    "99%,99.9%,99.99%,100%\r\n";

constexpr const char* kHistoryHeader =
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99."
    "99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average "
    "Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size\r\n";

constexpr const char* kNa11 = "N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A";

// Ten seconds of traffic: GET /a 3 successes/s (2 ms, 10 bytes), POST /b 1 failure/s (100 ms),
// merged once at 1010.0.
Aggregate ten_seconds() {
  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  Shard::Entry& a = shard.entry("GET", "/a");
  Shard::Entry& b = shard.entry("POST", "/b");
  for (int t = 1000; t < 1010; ++t) {
    for (int i = 0; i < 3; ++i) shard.record(a, 2'000, 10, t + 0.5);
    shard.record_failure(b, 100'000, 0, "boom", t + 0.5);
  }
  aggregate.merge(shard.take_delta(1010.0), 1010.0);
  return aggregate;
}

TEST(CsvTest, FieldsUsePythonMinimalQuoting) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(" sp "), " sp ");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("q\"x"), "\"q\"\"x\"");
  EXPECT_EQ(csv_field("l\nm"), "\"l\nm\"");
  EXPECT_EQ(csv_field("r\rs"), "\"r\rs\"");
  EXPECT_EQ(csv_row(std::vector<std::string>{"a,b", "q\"x", "", "1"}), "\"a,b\",\"q\"\"x\",,1\r\n");
}

TEST(CsvTest, HeadersAreLocusts) {
  EXPECT_EQ(requests_csv_header(), kRequestsHeader);
  EXPECT_EQ(failures_csv_header(), "Method,Name,Error,Occurrences\r\n");
  EXPECT_EQ(exceptions_csv_header(), "Count,Message,Traceback,Nodes\r\n");
  EXPECT_EQ(stats_history_csv_header(), kHistoryHeader);
}

TEST(CsvTest, EmptyRequestsCsvHasTheAggregatedRowWithPythonTypes) {
  const Aggregate aggregate(1000.0);
  EXPECT_EQ(requests_csv(aggregate),
            std::string(kRequestsHeader) + ",Aggregated,0,0,0,0.0,0,0,0,0.0,0.0," + kNa11 + "\r\n");
}

TEST(CsvTest, IdleHistoryRowMatchesLocustsVerbatimRow) {
  // Reference §2.10: "1795808781,0,,Aggregated,0.000000,0.000000,N/A,...,0,0,0,0.0,0,0,0".
  const Aggregate aggregate(1795808780.5);
  EXPECT_EQ(
      stats_history_csv_rows(aggregate, 1795808781.86, 0, HistoryRows::kAggregatedOnly),
      std::string("1795808781,0,,Aggregated,0.000000,0.000000,") + kNa11 + ",0,0,0,0.0,0,0,0\r\n");
  EXPECT_EQ(
      stats_history_csv_rows(aggregate, 1795808781.86, 0, HistoryRows::kFullHistory),
      std::string("1795808781,0,,Aggregated,0.000000,0.000000,") + kNa11 + ",0,0,0,0.0,0,0,0\r\n");
}

TEST(CsvTest, RequestsCsvOfTheVerbatimRun) {
  const Aggregate aggregate = testing::verbatim_run();
  // Expected rows computed independently in Python from the same samples; the rates are the
  // ones in reference §2.10's verified example.
  EXPECT_EQ(
      requests_csv(aggregate),
      std::string(kRequestsHeader) +
          "GET,/,101,0,5.488,7.108831683168316,2.056,51.558,120.0,16.942828288249814,0.0,5,7,"
          "8,9,11,13,42,46,52,52,52\r\n"
          "POST,/,26,26,5.488,5.5,2.1,10.6,120.0,4.361520153410843,4.361520153410843,5,6,7,7,"
          "8,10,11,11,11,11,11\r\n"
          "GET,/missing,37,37,5.488,8.5,2.2,45.3,120.0,6.206778679853892,6.206778679853892,5,"
          "7,9,11,16,42,45,45,45,45,45\r\n"
          "GET,/slow,34,0,160.256,158.08791176470586,155.3,166.757,120.0,5.703526354460333,"
          "0.0,160,160,160,160,160,170,170,170,170,170,170\r\n"
          ",Aggregated,198,63,6.512,33.093419191919196,2.056,166.757,120.0,33.214653475974885,"
          "10.568298833264736,6,8,12,24,160,160,160,170,170,170,170\r\n");
}

TEST(CsvTest, RequestsRowWithoutTrafficShowsNotAvailablePercentiles) {
  Aggregate aggregate = ten_seconds();
  aggregate.reset_all(1020.0);
  const std::string csv = requests_csv(aggregate);
  EXPECT_NE(csv.find("GET,/a,0,0,0,0.0,0,0,0,0.0,0.0," + std::string(kNa11) + "\r\n"),
            std::string::npos)
      << csv;
}

TEST(CsvTest, FailuresCsvQuotesErrorsWhenNeeded) {
  Aggregate aggregate = testing::verbatim_run();
  Delta delta;
  delta.errors = {{"GET", "/odd", "Error(\"a, b\")\nmore", 2}};
  aggregate.merge(delta, 1010.0);
  EXPECT_EQ(failures_csv(aggregate),
            "Method,Name,Error,Occurrences\r\n"
            "GET,/missing,HTTPError('404 Client Error: Not Found for url: "
            "http://127.0.0.1:18080/missing'),37\r\n"
            "POST,/,CatchResponseError('Got wrong response'),26\r\n"
            "GET,/odd,\"Error(\"\"a, b\"\")\nmore\",2\r\n");
}

TEST(CsvTest, ExceptionsCsvJoinsNodes) {
  Aggregate aggregate(0.0);
  Delta delta;
  delta.exceptions = {{"ValueError('x')", "File \"a.py\", line 1\n", 1}};
  aggregate.merge(delta, 1.0, "worker-a");
  aggregate.merge(delta, 2.0, "worker-b");
  aggregate.merge(delta, 3.0, "worker-a");
  EXPECT_EQ(exceptions_csv(aggregate),
            "Count,Message,Traceback,Nodes\r\n"
            "3,ValueError('x'),\"File \"\"a.py\"\", line 1\n\",\"worker-a, worker-b\"\r\n");
}

TEST(CsvTest, HistoryRowsWithoutFullHistoryUseCumulativePercentiles) {
  const Aggregate aggregate = ten_seconds();
  EXPECT_EQ(stats_history_csv_rows(aggregate, 1010.5, 5, HistoryRows::kAggregatedOnly),
            "1010,5,,Aggregated,4.000000,1.000000,2,2,100,100,100,100,100,100,100,100,100,40,10,"
            "2.004,26.5,2.0,100.0,7.5\r\n");
}

TEST(CsvTest, FullHistoryRowsUseTheCurrentWindow) {
  const Aggregate aggregate = ten_seconds();
  // The entries were created by the merge at 1010, so at 1010.5 their window is younger than
  // 2 s: Locust's `int(None or 0)` gives 0. The total's window (since 1000) has everything.
  EXPECT_EQ(stats_history_csv_rows(aggregate, 1010.5, 5, HistoryRows::kFullHistory),
            "1010,5,GET,/a,3.000000,0.000000,0,0,0,0,0,0,0,0,0,0,0,30,0,2.0,2.0,2.0,2.0,10.0\r\n"
            "1010,5,POST,/b,1.000000,1.000000,0,0,0,0,0,0,0,0,0,0,0,10,10,100.0,100.0,100.0,"
            "100.0,0.0\r\n"
            "1010,5,,Aggregated,4.000000,1.000000,2,2,100,100,100,100,100,100,100,100,100,40,10,"
            "2.004,26.5,2.0,100.0,7.5\r\n");
  // Two seconds later the entries' windows hold the merge of second 1010.
  const std::string later = stats_history_csv_rows(aggregate, 1012.2, 5, HistoryRows::kFullHistory);
  EXPECT_NE(later.find("1012,5,GET,/a,3.000000,0.000000,2,2,2,2,2,2,2,2,2,2,2,30,"),
            std::string::npos)
      << later;
  // Eleven seconds later every window is empty: 0, not N/A (there were requests).
  const std::string idle = stats_history_csv_rows(aggregate, 1021.0, 5, HistoryRows::kFullHistory);
  EXPECT_NE(idle.find("1021,5,,Aggregated,4.000000,1.000000,0,0,0,0,0,0,0,0,0,0,0,40,"),
            std::string::npos)
      << idle;
}

}  // namespace
}  // namespace hornet::stats
