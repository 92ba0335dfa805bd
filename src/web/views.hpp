// What the web routes answer, as pure functions of the run's model: Locust's JSON bodies
// (reference §1), byte for byte where Locust's format is fixed, and Hornet's /stats/history.
// No I/O, no state: the same inputs give the same body, which is what the tests check.
#pragma once

#include <hornet/result.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.hpp"
#include "stats/aggregate.hpp"
#include "stats/history.hpp"

namespace hornet::web {

/// A distributed run's worker, as /stats/requests lists it.
struct WorkerView {
  std::string id;
  std::string state;
  int user_count = 0;
  double cpu_usage = 0;
  std::uint64_t memory_usage = 0;
};

/// What /stats/requests reports besides the statistics.
struct RunnerView {
  std::string state;  // "ready", "spawning", "running", "stopping", "stopped"
  int user_count = 0;
  /// Set on a master (distributed run): the workers, every state included.
  std::optional<std::vector<WorkerView>> workers;
};

/// Flask's jsonify as Locust runs it: keys sorted, indent 2, ": " and ", ", and a final newline.
std::string dump_json(const nlohmann::json& value);

/// Python's html.escape: & < > always, and " ' when `quote`.
std::string html_escape(std::string_view text, bool quote = true);

/// Locust's proper_round(value): round half up, as a float.
double proper_round(double value);

/// GET /stats/requests. `now` (epoch seconds) anchors the current percentiles.
nlohmann::json stats_requests(const stats::Aggregate& aggregate, const RunnerView& runner,
                              double now);

/// GET /exceptions.
nlohmann::json exceptions(const stats::Aggregate& aggregate);

/// GET /stats/history: the run as columns, one value per point (see docs/web-api.md); with
/// `since`, only the points after that time (epoch seconds).
nlohmann::json history(const stats::History& history, std::optional<double> since = std::nullopt);

/// A scenario's custom option (a locustfile's parser.add_argument) as the start form shows it.
struct CustomField {
  cli::CustomOption option;
  /// The current value (Options::custom[dest], or the last swarm's); nullopt: none.
  std::optional<std::string> value;
};

/// /ui/config's "extra_options": the fields with include_in_web_ui, in order, each
/// {"dest", "label" (the long name), "type": "str"|"int"|"float"|"bool", "value" (text or null),
/// "choices" (texts, [] for any), "help", "is_secret"}. Secret values are sent too, as Locust
/// sends them, for the form's password field to submit unchanged.
nlohmann::json extra_options(std::span<const CustomField> fields);

/// POST /swarm's form, parsed and checked.
struct SwarmRequest {
  int user_count = 0;
  double spawn_rate = 1;
  std::optional<std::string> host;    // "<" and ">" removed, as Locust does
  std::optional<long long> run_time;  // seconds
  /// The custom fields the form sent (include_in_web_ui ones only), by dest, checked and as
  /// cli::check_custom_value gives them (flags "true"/"false"). A field left out of the form, or
  /// an int or float field left empty, is absent: keep its value.
  std::map<std::string, std::string> custom;
};

/// Parses POST /swarm's x-www-form-urlencoded body. A missing, non-numeric or negative
/// user_count or spawn_rate, or a bad run_time, is an error whose message says which. With
/// `shape` (a load shape drives the test) user_count and spawn_rate are not read at all.
/// `custom`: the scenario's fields; a value that fails its type or choices is an error naming the
/// field: "my_int: invalid int value: 'x'".
Result<SwarmRequest> parse_swarm_form(std::string_view body, bool shape = false,
                                      std::span<const CustomField> custom = {});

/// Decodes an application/x-www-form-urlencoded body ('+' is a space, %XX a byte).
std::map<std::string, std::string> parse_form(std::string_view body);

}  // namespace hornet::web
