// A web::Backend over a real Aggregate and History, recording the actions it is asked for.
#pragma once

#include <string>
#include <vector>

#include "stats/shard.hpp"
#include "web/plot_config.hpp"
#include "web/routes.hpp"

namespace hornet::web::testing {

inline constexpr double kStart = 1'795'808'600;

class FakeBackend : public Backend {
 public:
  FakeBackend() : aggregate_(kStart) {
    aggregate_.clear_all(kStart);
    stats::Shard shard(kStart);
    auto& index = shard.entry("GET", "/");
    for (int i = 0; i < 20; ++i) shard.record(index, 3000 + 100 * i, 120, kStart + 1 + i * 0.1);
    auto& missing = shard.entry("GET", "/missing");
    shard.record_failure(missing, 2000, 0,
                         "HTTPError('404 Client Error: Not Found for url: /missing')", kStart + 2);
    shard.record_exception("kaboom <b>",
                           "  in task WebsiteUser > index\n  raised std::runtime_error\n");
    aggregate_.merge(shard.take_delta(kStart + 3), kStart + 3);
    history_.append(stats::sample(aggregate_, kStart + 3, "running", 4));
  }

  const stats::Aggregate* stats() const override { return &aggregate_; }
  nlohmann::json stats_requests(double now) const override {
    return web::stats_requests(aggregate_, {.state = "running", .user_count = 4}, now);
  }
  const stats::History& history() const override { return history_; }
  nlohmann::ordered_json tasks() const override {
    return {{"per_class", {{"WebsiteUser", {{"ratio", 1.0}}}}},
            {"total", {{"WebsiteUser", {{"ratio", 1.0}}}}}};
  }
  nlohmann::json ui_config() const override {
    return {{"mode", "live"},
            {"host", "http://127.0.0.1:8000"},
            {"plot_config", default_plot_config()}};
  }
  std::optional<std::string> full_history_csv_path() const override { return full_history_; }
  std::string report_html() const override { return "<html>report</html>"; }
  Result<void> swarm(const SwarmRequest& request) override {
    swarms.push_back(request);
    return {};
  }
  void stop() override { ++stops; }
  void reset_stats() override { ++resets; }
  bool shape_test() const override { return shape; }

  std::vector<SwarmRequest> swarms;
  bool shape = false;  // the run follows a load shape
  int stops = 0;
  int resets = 0;
  std::optional<std::string> full_history_;

 private:
  stats::Aggregate aggregate_;
  stats::History history_;
};

inline Request get(std::string path, std::string query = "") {
  Request request;
  request.method = "GET";
  request.path = std::move(path);
  request.query = std::move(query);
  return request;
}

inline Request post(std::string path, std::string body) {
  Request request;
  request.method = "POST";
  request.path = std::move(path);
  request.body = std::move(body);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  return request;
}

}  // namespace hornet::web::testing
