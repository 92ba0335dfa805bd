#include "web/views.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "cli/timespan.hpp"
#include "http/ascii.hpp"

namespace hornet::web {
namespace {

using Json = nlohmann::json;

// Locust's row cap for the table (the Aggregated row always stays, last).
constexpr std::size_t kMaxRows = 500;

Json entry_json(const stats::StatsEntry& entry, bool total) {
  Json row;
  if (total) {
    row["method"] = entry.method() ? Json(*entry.method()) : Json(nullptr);
  } else {
    row["method"] = entry.method().value_or("");
  }
  row["name"] = entry.name();
  row["safe_name"] = html_escape(entry.name(), false);
  row["num_requests"] = entry.num_requests();
  row["num_failures"] = entry.num_failures();
  row["avg_response_time"] = entry.avg_response_time();
  const auto min = entry.min_response_time();
  row["min_response_time"] = min ? Json(proper_round(*min)) : Json(0);
  row["max_response_time"] = proper_round(entry.max_response_time());
  row["current_rps"] = entry.current_rps();
  row["current_fail_per_sec"] = entry.current_fail_per_sec();
  row["median_response_time"] = entry.median_response_time();
  row["ninetieth_response_time"] = entry.response_time_percentile(0.9);
  row["ninety_ninth_response_time"] = entry.response_time_percentile(0.99);
  row["avg_content_length"] = entry.avg_content_length();
  return row;
}

Json optional_number(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// Python's int(): the value must be an integer literal (with an optional sign and spaces).
std::optional<long long> python_int(std::string_view text) {
  text = http::ascii::trim_ows(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Python's float(): a decimal number; "nan" and "inf" are refused (they make no spawn rate).
std::optional<double> python_float(std::string_view text) {
  text = http::ascii::trim_ows(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string dump_json(const nlohmann::json& value) {
  return value.dump(2) + "\n";
}

std::string html_escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += quote ? "&quot;" : "\"";
        break;
      case '\'':
        out += quote ? "&#x27;" : "'";
        break;
      default:
        out += c;
    }
  }
  return out;
}

double proper_round(double value) {
  return std::floor(value + 0.5);
}

nlohmann::json stats_requests(const stats::Aggregate& aggregate, const RunnerView& runner,
                              double now) {
  Json rows = Json::array();
  for (const stats::StatsEntry& entry : aggregate.entries()) {
    if (rows.size() >= kMaxRows) break;
    rows.push_back(entry_json(entry, false));
  }
  const stats::StatsEntry& total = aggregate.total();
  Json total_row = entry_json(total, true);

  Json errors = Json::array();
  for (const stats::StatsError& error : aggregate.errors()) {
    if (errors.size() >= kMaxRows) break;
    errors.push_back({{"method", error.method},
                      {"name", html_escape(error.name)},
                      {"error", html_escape(error.error)},
                      {"occurrences", error.occurrences}});
  }

  Json report;
  report["total_rps"] = total_row["current_rps"];
  rows.push_back(std::move(total_row));
  report["stats"] = std::move(rows);
  report["errors"] = std::move(errors);
  report["fail_ratio"] = total.fail_ratio();
  report["current_response_time_percentile_95"] =
      optional_number(total.current_response_time_percentile(0.95, now));
  report["current_response_time_percentile_50"] =
      optional_number(total.current_response_time_percentile(0.5, now));
  report["state"] = runner.state;
  report["user_count"] = runner.user_count;
  // The seed's plotter read "slave_count" (Locust 0.x); Locust 2.x dropped it. 0 standalone.
  report["slave_count"] = runner.workers ? runner.workers->size() : 0;
  if (runner.workers) {
    Json workers = Json::array();
    for (const WorkerView& worker : *runner.workers) {
      workers.push_back({{"id", worker.id},
                         {"state", worker.state},
                         {"user_count", worker.user_count},
                         {"cpu_usage", worker.cpu_usage},
                         {"memory_usage", worker.memory_usage}});
    }
    report["workers"] = std::move(workers);
  }
  return report;
}

nlohmann::json exceptions(const stats::Aggregate& aggregate) {
  Json rows = Json::array();
  for (const stats::ExceptionRecord& record : aggregate.exceptions()) {
    std::string nodes;
    for (const auto& node : record.nodes) nodes += (nodes.empty() ? "" : ", ") + node;
    rows.push_back({{"count", record.count},
                    {"msg", html_escape(record.message)},
                    {"traceback", html_escape(record.traceback)},
                    {"nodes", nodes}});
  }
  return {{"exceptions", std::move(rows)}};
}

nlohmann::json history(const stats::History& history, std::optional<double> since) {
  Json time = Json::array(), state = Json::array(), user_count = Json::array(),
       num_requests = Json::array(), num_failures = Json::array(), current_rps = Json::array(),
       current_fail_per_sec = Json::array(), p50 = Json::array(), p95 = Json::array(),
       p99 = Json::array(), avg = Json::array(), median = Json::array(), min = Json::array(),
       max = Json::array();
  for (const stats::HistoryPoint& point : history.points()) {
    if (since && point.time <= *since) continue;
    time.push_back(point.time);
    state.push_back(point.state);
    user_count.push_back(point.user_count);
    num_requests.push_back(point.num_requests);
    num_failures.push_back(point.num_failures);
    current_rps.push_back(point.current_rps);
    current_fail_per_sec.push_back(point.current_fail_per_sec);
    p50.push_back(optional_number(point.p50));
    p95.push_back(optional_number(point.p95));
    p99.push_back(optional_number(point.p99));
    avg.push_back(point.avg_response_time);
    median.push_back(point.median_response_time);
    min.push_back(optional_number(point.min_response_time));
    max.push_back(point.max_response_time);
  }
  return {{"time", std::move(time)},
          {"state", std::move(state)},
          {"user_count", std::move(user_count)},
          {"num_requests", std::move(num_requests)},
          {"num_failures", std::move(num_failures)},
          {"current_rps", std::move(current_rps)},
          {"current_fail_per_sec", std::move(current_fail_per_sec)},
          {"response_time_percentile_50", std::move(p50)},
          {"response_time_percentile_95", std::move(p95)},
          {"response_time_percentile_99", std::move(p99)},
          {"avg_response_time", std::move(avg)},
          {"median_response_time", std::move(median)},
          {"min_response_time", std::move(min)},
          {"max_response_time", std::move(max)}};
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  const auto decode = [](std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '+') {
        out += ' ';
      } else if (c == '%' && i + 2 < text.size() && http::ascii::hex_value(text[i + 1]) >= 0 &&
                 http::ascii::hex_value(text[i + 2]) >= 0) {
        out += static_cast<char>(http::ascii::hex_value(text[i + 1]) * 16 +
                                 http::ascii::hex_value(text[i + 2]));
        i += 2;
      } else {
        out += c;
      }
    }
    return out;
  };
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string name = decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
    fields.emplace(std::move(name), std::move(value));  // the first of repeated fields wins
  }
  return fields;
}

nlohmann::json extra_options(std::span<const CustomField> fields) {
  Json out = Json::array();
  for (const CustomField& field : fields) {
    const cli::CustomOption& option = field.option;
    if (!option.include_in_web_ui) continue;
    const char* type = "str";
    switch (option.type) {
      case cli::CustomOption::Type::kString:
        break;
      case cli::CustomOption::Type::kInt:
        type = "int";
        break;
      case cli::CustomOption::Type::kFloat:
        type = "float";
        break;
      case cli::CustomOption::Type::kBool:
        type = "bool";
        break;
    }
    out.push_back({{"dest", option.effective_dest()},
                   {"label", option.long_name()},
                   {"type", type},
                   {"value", field.value ? Json(*field.value) : Json(nullptr)},
                   {"choices", option.choices},
                   {"help", option.help},
                   {"is_secret", option.is_secret}});
  }
  return out;
}

Result<SwarmRequest> parse_swarm_form(std::string_view body, bool shape,
                                      std::span<const CustomField> custom) {
  const auto form = parse_form(body);
  SwarmRequest request;
  // With a shape, Locust's /swarm reads neither (its form sends placeholders).
  if (!shape) {
    const auto users = form.find("user_count");
    if (users == form.end() || http::ascii::trim_ows(users->second).empty()) {
      return Error{"user_count is missing: give the number of users to run"};
    }
    const auto user_count = python_int(users->second);
    if (!user_count) {
      return Error{"user_count must be a whole number, not '" + users->second + "'"};
    }
    if (*user_count < 0) return Error{"user_count cannot be negative (got " + users->second + ")"};
    if (*user_count > 100'000'000) return Error{"user_count is too large (" + users->second + ")"};
    request.user_count = static_cast<int>(*user_count);

    const auto rate = form.find("spawn_rate");
    if (rate == form.end() || http::ascii::trim_ows(rate->second).empty()) {
      return Error{"spawn_rate is missing: give how many users to start per second"};
    }
    const auto spawn_rate = python_float(rate->second);
    if (!spawn_rate) return Error{"spawn_rate must be a number, not '" + rate->second + "'"};
    if (*spawn_rate <= 0)
      return Error{"spawn_rate must be greater than 0 (got " + rate->second + ")"};
    request.spawn_rate = *spawn_rate;
  }

  if (const auto host = form.find("host"); host != form.end() && !host->second.empty()) {
    std::string cleaned;
    for (char c : host->second) {
      if (c != '<' && c != '>') cleaned += c;
    }
    request.host = std::move(cleaned);
  }
  if (const auto run_time = form.find("run_time");
      run_time != form.end() && !http::ascii::trim_ows(run_time->second).empty()) {
    auto seconds = cli::parse_timespan(http::ascii::trim_ows(run_time->second));
    if (!seconds) {
      return Error{"Valid run_time formats are : 20, 20s, 3m, 2h, 1h20m, 3h30m10s, etc."};
    }
    request.run_time = seconds->count();
  }
  for (const CustomField& field : custom) {
    if (!field.option.include_in_web_ui) continue;
    const std::string dest = field.option.effective_dest();
    const auto sent = form.find(dest);
    if (sent == form.end()) continue;
    const bool numeric = field.option.type == cli::CustomOption::Type::kInt ||
                         field.option.type == cli::CustomOption::Type::kFloat;
    const std::string_view text = numeric || field.option.type == cli::CustomOption::Type::kBool
                                      ? http::ascii::trim_ows(sent->second)
                                      : std::string_view(sent->second);
    if (numeric && text.empty()) continue;
    Result<std::string> value = cli::check_custom_value(field.option, text);
    if (!value) return Error{dest + ": " + value.error().message};
    request.custom[dest] = std::move(*value);
  }
  return request;
}

}  // namespace hornet::web
