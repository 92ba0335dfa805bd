// The --csv files on disk.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "hornet/result.hpp"
#include "stats/aggregate.hpp"
#include "stats/csv.hpp"

namespace hornet::stats {

/// Writes {prefix}_stats.csv, {prefix}_failures.csv, {prefix}_exceptions.csv and
/// {prefix}_stats_history.csv (always; HistoryRows only changes its rows).
///
/// Unlike Locust, which flushes every 10 s and never closes, every write() leaves all four files
/// complete on disk (the snapshot files are rewritten in place, the history file appended, each
/// with one write(2) call), so an interrupted run loses nothing already written.
/// Thread affinity: the thread that owns the Aggregate. Movable, not copyable.
class CsvWriter {
 public:
  /// Creates (truncates) the four files and writes their headers. The error names the file that
  /// could not be opened or written.
  static Result<CsvWriter> open(std::string_view prefix, HistoryRows rows);

  CsvWriter(CsvWriter&& other) noexcept;
  CsvWriter& operator=(CsvWriter&& other) noexcept;
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;
  /// Closes the files if close() was not called (errors are then ignored).
  ~CsvWriter();

  /// Rewrites the requests, failures and exceptions files in full and appends the history rows
  /// for `now` (epoch seconds) and `user_count`. The error names the file that failed.
  Result<void> write(const Aggregate& aggregate, double now, std::uint64_t user_count);

  /// Closes the files; later write() calls fail. The error names the first file that failed.
  Result<void> close();

  /// The four paths, in the order stats, failures, exceptions, stats_history.
  std::array<std::string, 4> paths() const;

 private:
  struct File {
    std::string path;
    int fd = -1;
  };
  enum Index { kRequests, kFailures, kExceptions, kHistory, kFileCount };

  explicit CsvWriter(HistoryRows rows) : rows_(rows) {}
  static Result<void> replace_contents(File& file, std::string_view contents);
  static Result<void> append(File& file, std::string_view contents);
  void close_all() noexcept;

  HistoryRows rows_;
  std::array<File, kFileCount> files_;
};

}  // namespace hornet::stats
