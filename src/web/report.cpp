#include "web/report.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include "stats/pyformat.hpp"
#include "web/assets.hpp"
#include "web/views.hpp"

namespace hornet::web {
namespace {

std::string utc_text(double epoch) {
  const auto seconds = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

std::string number(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string cell(std::string_view text) {
  return "<td>" + html_escape(text) + "</td>";
}

std::string asset_text(std::string_view path) {
  const Asset* asset = find_asset(path);
  return asset ? std::string(asset->data) : std::string();
}

// Expands {{NAME}} placeholders in one pass over the template: inserted text (1.5 MB of
// BokehJS among it) is never scanned again.
std::string expand(std::string_view templ, const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(templ.size());
  std::size_t at = 0;
  while (at < templ.size()) {
    const std::size_t open = templ.find("{{", at);
    const std::size_t close = open == std::string_view::npos ? open : templ.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(templ.substr(at, open - at));
    const auto value = values.find(std::string(templ.substr(open + 2, close - open - 2)));
    if (value != values.end()) {
      out += value->second;
    } else {
      out.append(templ.substr(open, close + 2 - open));
    }
    at = close + 2;
  }
  if (at < templ.size()) out.append(templ.substr(at));
  return out;
}

// Locust's report: Method, Name, # Requests, # Fails, Average, Min, Max, Average size, RPS,
// Failures/s; ints via int(), rates rounded to one decimal.
std::string request_table(const stats::Aggregate& aggregate) {
  std::string rows;
  const auto row = [&](const stats::StatsEntry& entry) {
    rows += "<tr>" + cell(entry.method().value_or("")) + cell(entry.name()) +
            cell(std::to_string(entry.num_requests())) +
            cell(std::to_string(entry.num_failures())) +
            cell(number(std::trunc(entry.avg_response_time()), 0)) +
            cell(number(std::trunc(entry.min_response_time().value_or(0)), 0)) +
            cell(number(std::trunc(entry.max_response_time()), 0)) +
            cell(number(std::trunc(entry.avg_content_length()), 0)) +
            cell(number(entry.total_rps(), 1)) + cell(number(entry.total_fail_per_sec(), 1)) +
            "</tr>\n";
  };
  for (const auto& entry : aggregate.entries()) row(entry);
  row(aggregate.total());
  return rows;
}

std::string percentile_table(const stats::Aggregate& aggregate) {
  static constexpr double kPercentiles[] = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};
  std::string rows;
  const auto row = [&](const stats::StatsEntry& entry) {
    rows += "<tr>" + cell(entry.method().value_or("")) + cell(entry.name());
    for (double p : kPercentiles) {
      rows += cell(number(std::trunc(entry.response_time_percentile(p)), 0));
    }
    rows += "</tr>\n";
  };
  for (const auto& entry : aggregate.entries()) {
    if (entry.num_requests() > 0) row(entry);
  }
  if (aggregate.total().num_requests() > 0) row(aggregate.total());
  return rows;
}

std::string failures_table(const stats::Aggregate& aggregate) {
  std::string rows;
  for (const auto& error : aggregate.errors()) {
    rows += "<tr>" + cell(error.method) + cell(error.name) + cell(error.error) +
            cell(std::to_string(error.occurrences)) + "</tr>\n";
  }
  return rows;
}

std::string exceptions_table(const stats::Aggregate& aggregate) {
  std::string rows;
  for (const auto& record : aggregate.exceptions()) {
    std::string nodes;
    for (const auto& node : record.nodes) nodes += (nodes.empty() ? "" : ", ") + node;
    rows += "<tr>" + cell(std::to_string(record.count)) + cell(record.message) + "<td><pre>" +
            html_escape(record.traceback) + "</pre></td>" + cell(nodes) + "</tr>\n";
  }
  return rows;
}

void task_rows(std::string& rows, const nlohmann::ordered_json& level, int depth) {
  for (const auto& [name, value] : level.items()) {
    const double ratio = value.value("ratio", 0.0);
    rows += "<tr><td style=\"padding-left:" + std::to_string(depth * 1.5) + "em\">" +
            html_escape(name) + "</td>" + cell(number(ratio * 100, 1) + "%") + "</tr>\n";
    if (value.contains("tasks")) task_rows(rows, value["tasks"], depth + 1);
  }
}

}  // namespace

std::string inline_script(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '<' && i + 1 < code.size() && code[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += code[i];
    }
  }
  return out;
}

std::string json_for_script(const nlohmann::json& value) {
  // '<' only occurs inside JSON strings, where \u003c means the same: no "</script>" or
  // "<!--" can end or confuse the element.
  std::string out;
  for (char c : value.dump()) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_report(const ReportInput& input) {
  const stats::Aggregate& aggregate = *input.stats;
  std::string tasks;
  if (input.tasks.contains("total")) task_rows(tasks, input.tasks["total"], 0);

  const nlohmann::json data = {
      {"history", history(*input.history)},
      {"plot_config", input.plot_config},
  };
  return expand(
      asset_text("/report.html"),
      {{"TITLE", html_escape("Test Report for " + input.script)},
       {"PERIOD", html_escape(utc_text(input.start_time) + " - " + utc_text(input.end_time))},
       {"HOST", html_escape(input.host)},
       {"SCRIPT", html_escape(input.script)},
       {"REQUEST_ROWS", request_table(aggregate)},
       {"PERCENTILE_ROWS", percentile_table(aggregate)},
       {"FAILURE_ROWS", failures_table(aggregate)},
       {"EXCEPTION_ROWS", exceptions_table(aggregate)},
       {"TASK_ROWS", tasks},
       {"STYLE", asset_text("/static/style.css")},
       {"BOKEH", inline_script(asset_text("/static/bokeh.min.js"))},
       {"BOKEH_API", inline_script(asset_text("/static/bokeh-api.min.js"))},
       {"CHARTS_JS", inline_script(asset_text("/static/charts.js"))},
       {"REPORT_JS", inline_script(asset_text("/static/report.js"))},
       {"DATA", json_for_script(data)}});
}

}  // namespace hornet::web
