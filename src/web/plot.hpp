// `hornet plot --url URL`: the seed's plotter.py as a command. It polls any Locust-compatible
// /stats/requests (a real Locust, or Hornet) every second, keeps the history, and serves the same
// chart page as the web UI (in "plot" mode: no start form, a status of the polled target). A
// target that is down or answers garbage shows on the page; polling goes on and recovers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/url.hpp"
#include "stats/history.hpp"
#include "web/routes.hpp"

namespace hornet::web {

struct PlotSettings {
  std::string url;  // the /stats/requests to poll
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{5000};  // per poll
  nlohmann::json plot_config;
  bool verify_tls = true;
};

/// Converts one /stats/requests body into a history point (the Aggregated row, i.e. the last
/// of "stats"; the current percentiles; state and user count). Error if the JSON lacks them.
Result<stats::HistoryPoint> point_from_stats_json(const nlohmann::json& body, double now);

class Plotter final : public Backend {
 public:
  Plotter(boost::asio::io_context& io, PlotSettings settings);
  ~Plotter() override;

  /// Checks the URL and starts polling. The error says what is wrong with the URL.
  [[nodiscard]] Result<void> start();
  void stop_polling();

  const stats::Aggregate* stats() const override { return nullptr; }
  nlohmann::json stats_requests(double now) const override;
  const stats::History& history() const override { return history_; }
  nlohmann::ordered_json tasks() const override;
  nlohmann::json ui_config() const override;
  std::optional<std::string> full_history_csv_path() const override { return std::nullopt; }
  std::string report_html() const override;
  Result<void> swarm(const SwarmRequest& request) override;
  void stop() override {}
  void reset_stats() override { history_.clear(); }
  std::optional<Reply> extra_route(const Request& request) override;

  /// GET /plot/status: {"url", "ok", "message", "last_success", "polls", "failures"}.
  nlohmann::json status() const;

 private:
  struct State;
  boost::asio::awaitable<void> poll_loop(std::shared_ptr<State> state);
  void on_body(const std::string& body);
  void on_failure(std::string message);

  boost::asio::io_context& io_;
  PlotSettings settings_;
  http::Url url_;
  stats::History history_;
  nlohmann::json last_stats_;
  std::string message_ = "not polled yet";
  bool ok_ = false;
  std::optional<double> last_success_;
  std::uint64_t polls_ = 0;
  std::uint64_t failures_ = 0;
  std::shared_ptr<State> state_;
};

}  // namespace hornet::web
