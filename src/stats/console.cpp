#include "stats/console.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "stats/pyformat.hpp"

namespace hornet::stats {

namespace {

std::string dashes(int n) {
  return std::string(static_cast<std::size_t>(std::max(n, 0)), '-');
}

// Locust's `(self.method and self.method + " " or "")`.
std::string method_column(const StatsEntry& entry) {
  const auto& method = entry.method();
  return method && !method->empty() ? *method + " " : std::string();
}

std::string stats_row(const StatsEntry& e, RateColumns rates, std::size_t name_column) {
  const bool current = rates == RateColumns::kCurrent;
  const double rps = current ? e.current_rps() : e.total_rps();
  const double fail_per_sec = current ? e.current_fail_per_sec() : e.total_fail_per_sec();
  const std::string failures =
      format_d(e.num_failures()) + "(" + format_f(e.fail_ratio() * 100, 2) + "%)";
  std::string line = pad_right(method_column(e), kStatsTypeWidth);
  line += ' ';
  line += pad_right(e.name(), name_column);
  line += ' ';
  line += format_d(e.num_requests(), 7);
  line += ' ';
  line += pad_left(failures, 12);
  line += " |";
  line += format_d(e.avg_response_time(), 7);
  line += ' ';
  line += format_d(e.min_response_time().value_or(0), 7);
  line += ' ';
  line += format_d(e.max_response_time(), 7);
  line += format_d(e.median_response_time(), 7);
  line += " | ";
  line += format_f(rps, 2, 7);
  line += ' ';
  line += format_f(fail_per_sec, 2, 11);
  line += '\n';
  return line;
}

std::string percentile_row(const StatsEntry& e, int name_width) {
  std::string line = pad_right(e.method().value_or(""), kStatsTypeWidth);
  line += ' ';
  line += pad_right(e.name(), static_cast<std::size_t>(name_width));
  line += ' ';
  for (std::size_t i = 0; i < kPercentilesToReport.size(); ++i) {
    line += format_d(e.response_time_percentile(kPercentilesToReport[i]), i == 0 ? 8 : 6);
    line += ' ';
  }
  line += format_d(e.num_requests(), 6);
  line += '\n';
  return line;
}

}  // namespace

int stats_name_width(std::optional<int> terminal_columns) noexcept {
  if (!terminal_columns) return 80;
  return std::max(std::min(*terminal_columns - 80, 80), 0);
}

std::optional<int> stdout_terminal_columns() noexcept {
  // Python's os.get_terminal_size() asks stdout's terminal and fails when it is none.
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return std::nullopt;
  return static_cast<int>(size.ws_col);
}

std::string stats_table(const Aggregate& aggregate, RateColumns rates, int name_width) {
  // Locust builds "%-{N}s" with N = W - 8 + 4; for W < 4 that reads "%--Ks", which Python takes
  // as left-justified width K, while "-" * N is empty.
  const int name_column = name_width - kStatsTypeWidth + 4;
  const auto name_pad = static_cast<std::size_t>(std::abs(name_column));

  std::string out = pad_right("Type", kStatsTypeWidth);
  out += ' ';
  out += pad_right("Name", name_pad);
  out += ' ' + pad_left("# reqs", 7) + ' ' + pad_left("# fails", 12) + " |" + pad_left("Avg", 7) +
         ' ' + pad_left("Min", 7) + ' ' + pad_left("Max", 7) + pad_left("Med", 7) + " | " +
         pad_left("req/s", 7) + ' ' + pad_left("failures/s", 11) + '\n';

  const std::string separator = dashes(kStatsTypeWidth) + '|' + dashes(name_column) + '|' +
                                dashes(7) + '|' + dashes(13) + '|' + dashes(7) + '|' + dashes(7) +
                                '|' + dashes(7) + '|' + dashes(7) + '|' + dashes(8) + '|' +
                                dashes(11) + '\n';
  out += separator;
  for (const StatsEntry& entry : aggregate.entries()) out += stats_row(entry, rates, name_pad);
  out += separator;
  out += stats_row(aggregate.total(), rates, name_pad);
  out += '\n';
  return out;
}

std::string percentiles_table(const Aggregate& aggregate, int name_width) {
  const auto name_pad = static_cast<std::size_t>(std::max(name_width, 0));
  std::string out = "Response time percentiles (approximated)\n";
  out += pad_right("Type", kStatsTypeWidth);
  out += ' ';
  out += pad_right("Name", name_pad);
  out += ' ';
  for (std::size_t i = 0; i < kPercentileLabels.size(); ++i) {
    out += pad_left(kPercentileLabels[i], i == 0 ? 8 : 6);
    out += ' ';
  }
  out += pad_left("# reqs", 6);
  out += '\n';

  std::string separator = dashes(kStatsTypeWidth) + '|' + dashes(name_width) + '|' + dashes(8);
  for (std::size_t i = 0; i < kPercentilesToReport.size(); ++i) separator += '|' + dashes(6);
  separator += '\n';

  out += separator;
  for (const StatsEntry& entry : aggregate.entries()) {
    if (!entry.histogram().empty()) out += percentile_row(entry, name_width);
  }
  out += separator;
  if (!aggregate.total().histogram().empty()) out += percentile_row(aggregate.total(), name_width);
  out += '\n';
  return out;
}

std::string error_report(const Aggregate& aggregate, int name_width) {
  if (aggregate.errors().empty()) return {};
  std::string out = "Error report\n";
  out += pad_right("# occurrences", 18) + ' ' + pad_right("Error", 100) + '\n';
  const std::string separator = dashes(18) + '|' + dashes(80 + name_width - 19) + '\n';
  out += separator;
  for (const StatsError& error : aggregate.errors()) {
    // Locust's to_name() is f"{method} {name}: {repr(error)}"; Hornet's error strings are already
    // the text Locust would show for the error.
    out += pad_right(format_d(error.occurrences), 18);
    out += ' ';
    out += pad_right(error.method + " " + error.name + ": " + error.error, 100);
    out += '\n';
  }
  out += separator;
  out += '\n';
  return out;
}

}  // namespace hornet::stats
