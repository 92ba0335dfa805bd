#include "web/views.hpp"

#include <gtest/gtest.h>

#include <set>

#include "fake_backend.hpp"

namespace hornet::web {
namespace {

using testing::FakeBackend;
using testing::kStart;

std::set<std::string> keys(const nlohmann::json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

TEST(StatsRequests, HasLocustsTopLevelKeysAndTheSeedsSlaveCount) {
  FakeBackend backend;
  const auto body = backend.stats_requests(kStart + 5);
  EXPECT_EQ(keys(body),
            (std::set<std::string>{"current_response_time_percentile_50",
                                   "current_response_time_percentile_95", "errors", "fail_ratio",
                                   "slave_count", "state", "stats", "total_rps", "user_count"}));
  EXPECT_EQ(body["slave_count"], 0);
  EXPECT_EQ(body["state"], "running");
  EXPECT_EQ(body["user_count"], 4);
}

TEST(StatsRequests, EveryRowHasLocustsFourteenKeysWithTheirTypes) {
  FakeBackend backend;
  const auto body = backend.stats_requests(kStart + 5);
  const std::set<std::string> expected = {"method",
                                          "name",
                                          "safe_name",
                                          "num_requests",
                                          "num_failures",
                                          "avg_response_time",
                                          "min_response_time",
                                          "max_response_time",
                                          "current_rps",
                                          "current_fail_per_sec",
                                          "median_response_time",
                                          "ninetieth_response_time",
                                          "ninety_ninth_response_time",
                                          "avg_content_length"};
  ASSERT_EQ(body["stats"].size(), 3u);
  for (const auto& row : body["stats"]) {
    EXPECT_EQ(keys(row), expected);
    EXPECT_TRUE(row["num_requests"].is_number_integer());
    EXPECT_TRUE(row["num_failures"].is_number_integer());
    EXPECT_TRUE(row["avg_response_time"].is_number_float());
    EXPECT_TRUE(row["max_response_time"].is_number_float());
    EXPECT_TRUE(row["current_rps"].is_number());
    EXPECT_TRUE(row["name"].is_string());
  }
}

TEST(StatsRequests, RowsAreSortedByNameAndTheAggregatedRowIsLast) {
  FakeBackend backend;
  const auto rows = backend.stats_requests(kStart + 5)["stats"];
  EXPECT_EQ(rows[0]["name"], "/");
  EXPECT_EQ(rows[1]["name"], "/missing");
  EXPECT_EQ(rows[2]["name"], "Aggregated");
  EXPECT_EQ(rows[2]["method"], "");  // after a test started (Locust's clear_all)
  EXPECT_EQ(rows[2]["num_requests"], 21);
  EXPECT_EQ(rows[2]["num_failures"], 1);
}

TEST(StatsRequests, TheTotalsMethodIsNullBeforeTheFirstTest) {
  stats::Aggregate fresh(kStart);
  const auto body = stats_requests(fresh, {.state = "ready"}, kStart);
  ASSERT_EQ(body["stats"].size(), 1u);
  EXPECT_TRUE(body["stats"][0]["method"].is_null());
  EXPECT_EQ(body["stats"][0]["min_response_time"], 0);
  EXPECT_TRUE(body["current_response_time_percentile_50"].is_null());
}

TEST(StatsRequests, MinAndMaxAreRoundedHalfUpAsFloats) {
  FakeBackend backend;
  const auto row = backend.stats_requests(kStart + 5)["stats"][0];
  EXPECT_EQ(row["min_response_time"], 3.0);
  EXPECT_EQ(row["max_response_time"], 5.0);  // 4.9 ms
  EXPECT_DOUBLE_EQ(proper_round(2.5), 3.0);
  EXPECT_DOUBLE_EQ(proper_round(456.7), 457.0);
  EXPECT_DOUBLE_EQ(proper_round(0), 0.0);
}

TEST(StatsRequests, ErrorsAreHtmlEscapedWithQuotes) {
  FakeBackend backend;
  const auto errors = backend.stats_requests(kStart + 5)["errors"];
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["error"],
            "HTTPError(&#x27;404 Client Error: Not Found for url: /missing&#x27;)");
  EXPECT_EQ(errors[0]["occurrences"], 1);
  EXPECT_EQ(keys(errors[0]), (std::set<std::string>{"error", "method", "name", "occurrences"}));
}

TEST(StatsRequests, AMasterListsItsWorkers) {
  stats::Aggregate aggregate(kStart);
  RunnerView runner{.state = "running", .user_count = 5};
  runner.workers = std::vector<WorkerView>{{"hostA_1", "running", 3, 12.5, 1000},
                                           {"hostB_1", "missing", 2, 0, 0}};
  const auto body = stats_requests(aggregate, runner, kStart);
  EXPECT_EQ(body["slave_count"], 2);
  ASSERT_EQ(body["workers"].size(), 2u);
  EXPECT_EQ(keys(body["workers"][0]),
            (std::set<std::string>{"cpu_usage", "id", "memory_usage", "state", "user_count"}));
  EXPECT_EQ(body["workers"][1]["state"], "missing");
}

TEST(StatsRequests, AtMost500RowsPlusTheAggregatedRow) {
  const double start = kStart;
  stats::Aggregate aggregate(start);
  aggregate.clear_all(start);
  stats::Shard shard(start);
  for (int i = 0; i < 600; ++i) {
    auto& entry = shard.entry("GET", "/item/" + std::to_string(1000 + i));
    shard.record(entry, 1000, 1, start + 1);
  }
  aggregate.merge(shard.take_delta(start + 2), start + 2);
  const auto rows = stats_requests(aggregate, {.state = "running"}, start + 2)["stats"];
  ASSERT_EQ(rows.size(), 501u);
  EXPECT_EQ(rows.back()["name"], "Aggregated");
  EXPECT_EQ(rows.back()["num_requests"], 600);
}

TEST(DumpJson, IsFlasksLayout) {
  EXPECT_EQ(dump_json({{"b", 1}, {"a", {{"y", 2.0}, {"x", nullptr}}}}),
            "{\n  \"a\": {\n    \"x\": null,\n    \"y\": 2.0\n  },\n  \"b\": 1\n}\n");
}

TEST(HtmlEscape, EscapesAsPython) {
  EXPECT_EQ(html_escape("<a href=\"x\">it's & more</a>"),
            "&lt;a href=&quot;x&quot;&gt;it&#x27;s &amp; more&lt;/a&gt;");
  EXPECT_EQ(html_escape("it's \"q\"", false), "it's \"q\"");
}

TEST(Exceptions, AreEscapedWithNodes) {
  FakeBackend backend;
  const auto body = exceptions(*backend.stats());
  ASSERT_EQ(body["exceptions"].size(), 1u);
  const auto& row = body["exceptions"][0];
  EXPECT_EQ(row["msg"], "kaboom &lt;b&gt;");
  EXPECT_EQ(row["count"], 1);
  EXPECT_EQ(row["nodes"], "local");
  EXPECT_NE(row["traceback"].get<std::string>().find("index"), std::string::npos);
}

TEST(History, ColumnsHaveOneValuePerPointAndSinceFilters) {
  stats::History history;
  for (int t = 0; t < 5; ++t) {
    stats::HistoryPoint point;
    point.time = kStart + t;
    point.state = t < 2 ? "spawning" : "running";
    point.num_requests = static_cast<std::uint64_t>(10 * t);
    if (t > 0) point.p95 = 100.0 + t;
    history.append(point);
  }
  const auto all = web::history(history);
  for (const auto& [key, column] : all.items()) EXPECT_EQ(column.size(), 5u) << key;
  EXPECT_TRUE(all["response_time_percentile_95"][0].is_null());
  EXPECT_EQ(all["state"][1], "spawning");
  const auto recent = web::history(history, kStart + 2);
  EXPECT_EQ(recent["time"].size(), 2u);
  EXPECT_EQ(recent["num_requests"][0], 30);
}

struct BadSwarm {
  std::string body;
  std::string message_part;
};

class SwarmFormErrors : public ::testing::TestWithParam<BadSwarm> {};

TEST_P(SwarmFormErrors, SayWhatIsWrong) {
  auto parsed = parse_swarm_form(GetParam().body);
  ASSERT_FALSE(parsed.ok()) << GetParam().body;
  EXPECT_NE(parsed.error().message.find(GetParam().message_part), std::string::npos)
      << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SwarmFormErrors,
    ::testing::Values(BadSwarm{"spawn_rate=1", "user_count is missing"},
                      BadSwarm{"user_count=&spawn_rate=1", "user_count is missing"},
                      BadSwarm{"user_count=abc&spawn_rate=1", "whole number, not 'abc'"},
                      BadSwarm{"user_count=1.5&spawn_rate=1", "whole number"},
                      BadSwarm{"user_count=-3&spawn_rate=1", "cannot be negative"},
                      BadSwarm{"user_count=99999999999&spawn_rate=1", "too large"},
                      BadSwarm{"user_count=5", "spawn_rate is missing"},
                      BadSwarm{"user_count=5&spawn_rate=fast", "must be a number"},
                      BadSwarm{"user_count=5&spawn_rate=0", "greater than 0"},
                      BadSwarm{"user_count=5&spawn_rate=-1", "greater than 0"},
                      BadSwarm{"user_count=5&spawn_rate=nan", "must be a number"},
                      BadSwarm{"user_count=5&spawn_rate=1&run_time=10x",
                               "Valid run_time formats"}));

TEST(SwarmForm, ParsesLocustsFields) {
  auto parsed = parse_swarm_form(
      "user_count=50&spawn_rate=2.5&host=http%3A%2F%2F127.0.0.1%3A8000%3Cx%3E&run_time=1h20m");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->user_count, 50);
  EXPECT_DOUBLE_EQ(parsed->spawn_rate, 2.5);
  EXPECT_EQ(parsed->host, "http://127.0.0.1:8000x");  // < and > removed, as Locust does
  EXPECT_EQ(parsed->run_time, 4800);
  auto bare = parse_swarm_form("user_count=0&spawn_rate=1&run_time=");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->run_time);
  EXPECT_FALSE(bare->host);
}

TEST(Form, DecodesPlusAndPercentEscapes) {
  const auto form = parse_form("a=1+2&b=%41%62%zz&c&a=second&=x");
  EXPECT_EQ(form.at("a"), "1 2");  // the first of repeated fields
  EXPECT_EQ(form.at("b"), "Ab%zz");
  EXPECT_EQ(form.at("c"), "");
}

}  // namespace
}  // namespace hornet::web
