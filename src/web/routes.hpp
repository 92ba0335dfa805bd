// Locust's web routes (reference §1.3) and Hornet's own, as one function from a request to a
// reply. Views are pure functions of the backend's model; actions (swarm, stop, reset) go to the
// backend. HTTP Basic auth, when configured, guards every route, static assets included.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "web/server.hpp"
#include "web/views.hpp"

namespace hornet::web {

/// What the routes read and do. Implemented by the program (a load test, or `hornet plot`).
/// Called on the control thread.
class Backend {
 public:
  virtual ~Backend() = default;

  /// The run's statistics, or nullptr where there are none (`hornet plot` only relays another
  /// tool's JSON): the routes that need them answer 404 then.
  virtual const stats::Aggregate* stats() const = 0;
  /// GET /stats/requests' body at `now` (epoch seconds).
  virtual nlohmann::json stats_requests(double now) const = 0;
  virtual const stats::History& history() const = 0;
  /// Extra routes of this backend (e.g. /plot/status), tried before "not found".
  virtual std::optional<Reply> extra_route(const Request& request) {
    (void)request;
    return std::nullopt;
  }
  /// /tasks' body: {"per_class": ..., "total": ...}.
  virtual nlohmann::ordered_json tasks() const = 0;
  /// The UI's settings: {"mode": "live"|"plot", "host": ..., "plot_config": {...}, ...}.
  virtual nlohmann::json ui_config() const = 0;
  /// The --csv-full-history file, if the run writes one.
  virtual std::optional<std::string> full_history_csv_path() const = 0;
  /// The HTML report of the run so far.
  virtual std::string report_html() const = 0;

  /// Starts or edits a swarm. An error message is shown to the user (400).
  virtual Result<void> swarm(const SwarmRequest& request) = 0;
  /// The run follows a load shape (Locust's LoadTestShape): /swarm then needs no user count or
  /// spawn rate (they are ignored) and answers "Swarming started using shape class".
  virtual bool shape_test() const { return false; }
  /// The scenario's custom options with their current values: /ui/config lists those with
  /// include_in_web_ui as "extra_options" (the start form's fields), and /swarm checks them and
  /// passes what the form sent in SwarmRequest::custom.
  virtual std::vector<CustomField> custom_fields() const { return {}; }
  virtual void stop() = 0;
  virtual void reset_stats() = 0;
};

struct RouterOptions {
  /// --web-auth "user:password": HTTP Basic credentials required on every route.
  std::optional<std::string> auth;
};

/// Answers one request. Never throws for bad input: a bad form is 400, an unknown route 404, a
/// wrong method 405 with Allow.
Reply route(const Request& request, Backend& backend, const RouterOptions& options);

}  // namespace hornet::web
