#include "stats/csv.hpp"

#include <string>
#include <vector>

#include "stats/pyformat.hpp"

namespace hornet::stats {

namespace {

// The Python types Locust's values have decide how str() prints them: these helpers encode, per
// column, when Locust holds an int (printed "0") and when a float (printed "0.0", "160.0").

// Locust's `x or 0` on an optional float, and fields that start as int 0 and become the float of
// the first response time (max_response_time; median before clamping).
std::string int_if_zero(double ms) {
  return ms == 0.0 ? "0" : python_float_repr(ms);
}

std::string int_text(std::uint64_t value) {
  return std::to_string(value);
}

void append_percentiles(std::vector<std::string>& fields, const StatsEntry& e,
                        const std::optional<std::vector<double>>* current) {
  if (e.num_requests() == 0) {
    fields.insert(fields.end(), kPercentilesToReport.size(), "N/A");
    return;
  }
  for (std::size_t i = 0; i < kPercentilesToReport.size(); ++i) {
    // Locust: int(percentile or 0).
    const double ms = current != nullptr ? (*current ? (**current)[i] : 0.0)
                                         : e.response_time_percentile(kPercentilesToReport[i]);
    fields.push_back(std::to_string(python_int(ms)));
  }
}

// The seven "Total ..." / summary columns shared by the requests and history files, minus rates.
void append_totals(std::vector<std::string>& fields, const StatsEntry& e) {
  fields.push_back(int_text(e.num_requests()));
  fields.push_back(int_text(e.num_failures()));
  fields.push_back(e.histogram().empty() ? "0" : int_if_zero(e.median_response_time()));
  fields.push_back(python_float_repr(e.avg_response_time()));
  fields.push_back(int_if_zero(e.min_response_time().value_or(0.0)));
  fields.push_back(int_if_zero(e.max_response_time()));
  fields.push_back(e.num_requests() == 0 ? "0" : python_float_repr(e.avg_content_length()));
}

std::vector<std::string> with_percentile_labels(std::initializer_list<std::string> head,
                                                std::initializer_list<std::string> tail = {}) {
  std::vector<std::string> fields(head);
  fields.insert(fields.end(), kPercentileLabels.begin(), kPercentileLabels.end());
  fields.insert(fields.end(), tail);
  return fields;
}

std::string requests_row(const StatsEntry& e) {
  std::vector<std::string> fields;
  fields.reserve(22);
  fields.push_back(e.method().value_or(""));
  fields.push_back(e.name());
  append_totals(fields, e);
  fields.push_back(python_float_repr(e.total_rps()));
  fields.push_back(python_float_repr(e.total_fail_per_sec()));
  append_percentiles(fields, e, nullptr);
  return csv_row(fields);
}

std::string history_row(const StatsEntry& e, const std::string& timestamp,
                        const std::string& user_count, double now, HistoryRows rows) {
  std::vector<std::string> fields;
  fields.reserve(24);
  fields.push_back(timestamp);
  fields.push_back(user_count);
  fields.push_back(e.method().value_or(""));
  fields.push_back(e.name());
  // Locust's f"{x:2f}": width 2, six decimals.
  fields.push_back(format_f(e.current_rps(), 6, 2));
  fields.push_back(format_f(e.current_fail_per_sec(), 6, 2));
  if (rows == HistoryRows::kFullHistory) {
    const auto current = e.current_response_time_percentiles(kPercentilesToReport, now);
    append_percentiles(fields, e, &current);
  } else {
    append_percentiles(fields, e, nullptr);
  }
  append_totals(fields, e);
  return csv_row(fields);
}

}  // namespace

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_row(std::span<const std::string> fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out += ',';
    out += csv_field(fields[i]);
  }
  out += "\r\n";
  return out;
}

std::string requests_csv_header() {
  return csv_row(with_percentile_labels({"Type", "Name", "Request Count", "Failure Count",
                                         "Median Response Time", "Average Response Time",
                                         "Min Response Time", "Max Response Time",
                                         "Average Content Size", "Requests/s", "Failures/s"}));
}

std::string failures_csv_header() {
  return csv_row(std::vector<std::string>{"Method", "Name", "Error", "Occurrences"});
}

std::string exceptions_csv_header() {
  return csv_row(std::vector<std::string>{"Count", "Message", "Traceback", "Nodes"});
}

std::string requests_csv(const Aggregate& aggregate) {
  std::string out = requests_csv_header();
  for (const StatsEntry& entry : aggregate.entries()) out += requests_row(entry);
  out += requests_row(aggregate.total());
  return out;
}

std::string failures_csv(const Aggregate& aggregate) {
  std::string out = failures_csv_header();
  for (const StatsError& error : aggregate.errors()) {
    out += csv_row(std::vector<std::string>{error.method, error.name, error.error,
                                            int_text(error.occurrences)});
  }
  return out;
}

std::string exceptions_csv(const Aggregate& aggregate) {
  std::string out = exceptions_csv_header();
  for (const ExceptionRecord& exception : aggregate.exceptions()) {
    std::string nodes;
    for (const std::string& node : exception.nodes) {
      if (!nodes.empty()) nodes += ", ";
      nodes += node;
    }
    out += csv_row(std::vector<std::string>{int_text(exception.count), exception.message,
                                            exception.traceback, nodes});
  }
  return out;
}

std::string stats_history_csv_header() {
  return csv_row(with_percentile_labels(
      {"Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"},
      {"Total Request Count", "Total Failure Count", "Total Median Response Time",
       "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
       "Total Average Content Size"}));
}

std::string stats_history_csv_rows(const Aggregate& aggregate, double now, std::uint64_t user_count,
                                   HistoryRows rows) {
  const std::string timestamp = std::to_string(python_int(now));
  const std::string users = int_text(user_count);
  std::string out;
  if (rows == HistoryRows::kFullHistory) {
    for (const StatsEntry& entry : aggregate.entries()) {
      out += history_row(entry, timestamp, users, now, rows);
    }
  }
  out += history_row(aggregate.total(), timestamp, users, now, rows);
  return out;
}

}  // namespace hornet::stats
