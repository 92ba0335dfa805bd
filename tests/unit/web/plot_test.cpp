#include "web/plot.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "web/plot_config.hpp"

namespace hornet::web {
namespace {

// Locust 2.12's running example from reference §1.6 (abridged to the total row).
const char* kLocustRunning = R"({
  "current_response_time_percentile_50": 3,
  "current_response_time_percentile_95": 150.0,
  "errors": [],
  "fail_ratio": 0.2966101694915254,
  "state": "running",
  "stats": [
    {"avg_content_length": 120.0, "avg_response_time": 3.8, "current_fail_per_sec": 0.0,
     "current_rps": 14.0, "max_response_time": 68.0, "median_response_time": 3, "method": "GET",
     "min_response_time": 1.0, "name": "/", "ninetieth_response_time": 5,
     "ninety_ninth_response_time": 19, "num_failures": 0, "num_requests": 251, "safe_name": "/"},
    {"avg_content_length": 104.7, "avg_response_time": 29.5, "current_fail_per_sec": 9.1,
     "current_rps": 27.7, "max_response_time": 160.0, "median_response_time": 3, "method": "",
     "min_response_time": 1.0, "name": "Aggregated", "ninetieth_response_time": 150.0,
     "ninety_ninth_response_time": 160.0, "num_failures": 140, "num_requests": 472,
     "safe_name": "Aggregated"}
  ],
  "total_rps": 27.7,
  "user_count": 4
})";

TEST(PlotPoint, TakesTheAggregatedRowOfALocust) {
  auto point = point_from_stats_json(nlohmann::json::parse(kLocustRunning), 1000.0);
  ASSERT_TRUE(point.ok()) << point.error().message;
  EXPECT_EQ(point->time, 1000.0);
  EXPECT_EQ(point->state, "running");
  EXPECT_EQ(point->user_count, 4);
  EXPECT_EQ(point->num_requests, 472u);
  EXPECT_EQ(point->num_failures, 140u);
  EXPECT_DOUBLE_EQ(point->current_rps, 27.7);
  EXPECT_DOUBLE_EQ(point->current_fail_per_sec, 9.1);
  EXPECT_DOUBLE_EQ(*point->p50, 3);
  EXPECT_DOUBLE_EQ(*point->p95, 150.0);
  EXPECT_FALSE(point->p99);
  EXPECT_DOUBLE_EQ(point->max_response_time, 160.0);
}

TEST(PlotPoint, RefusesAnswersWithoutStats) {
  EXPECT_FALSE(point_from_stats_json(nlohmann::json::parse("[1, 2]"), 0).ok());
  EXPECT_FALSE(point_from_stats_json(nlohmann::json::parse(R"({"stats": []})"), 0).ok());
  EXPECT_FALSE(point_from_stats_json(nlohmann::json::parse(R"({"state": "running"})"), 0).ok());
  // Missing numbers are zero rather than an error: another tool may leave some out.
  auto sparse = point_from_stats_json(nlohmann::json::parse(R"({"stats": [{}]})"), 0);
  ASSERT_TRUE(sparse.ok());
  EXPECT_EQ(sparse->num_requests, 0u);
  EXPECT_EQ(sparse->state, "unknown");
}

TEST(PlotConfig, TheSeedsConfigIsValid) {
  auto config = check_plot_config(default_plot_config());
  ASSERT_TRUE(config.ok());
  EXPECT_EQ((*config)["states"], nlohmann::json({"spawning", "running"}));
  EXPECT_EQ((*config)["figures"].size(), 2u);
}

TEST(PlotConfig, MistakesAreNamed) {
  const struct {
    const char* json;
    const char* message;
  } cases[] = {
      {R"([])", "must be a JSON object"},
      {R"({"figures": {}})", "\"figures\" must be a non-empty list"},
      {R"({"figures": [{"charts": []}]})", "figures[0].charts must be a non-empty list"},
      {R"({"figures": [{"charts": [{"color": "red"}]}]})", "figures[0].charts[0].key"},
      {R"({"figures": [{"charts": [{"key": "x", "skip_null": "yes"}]}]})", "skip_null"},
      {R"({"states": []})", "\"states\" must be a non-empty list"},
      {R"({"states": [1]})", "state names"},
      {R"({"requests_key": 3})", "requests_key"},
  };
  for (const auto& c : cases) {
    auto config = check_plot_config(nlohmann::json::parse(c.json));
    ASSERT_FALSE(config.ok()) << c.json;
    EXPECT_NE(config.error().message.find(c.message), std::string::npos)
        << c.json << " -> " << config.error().message;
  }
}

TEST(PlotConfig, FileErrorsNameTheFile) {
  EXPECT_NE(
      load_plot_config("/nonexistent/plot.json").error().message.find("/nonexistent/plot.json"),
      std::string::npos);
  const std::string path = ::testing::TempDir() + "/hornet_plot_bad.json";
  std::ofstream(path) << "{not json";
  const auto bad = load_plot_config(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("not valid JSON"), std::string::npos);
  std::ofstream(path) << R"({"states": ["running"]})";
  const auto partial = load_plot_config(path);
  ASSERT_TRUE(partial.ok()) << partial.error().message;
  EXPECT_EQ((*partial)["states"], nlohmann::json({"running"}));
  EXPECT_EQ((*partial)["figures"].size(), 2u);  // the default's figures
}

}  // namespace
}  // namespace hornet::web
