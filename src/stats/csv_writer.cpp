#include "stats/csv_writer.hpp"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

namespace hornet::stats {

namespace {

Error file_error(std::string_view what, const std::string& path, int error_number) {
  return Error{std::string(what) + " " + path + ": " + std::strerror(error_number)};
}

// Writes all of `data` at `offset` (or at the end for an O_APPEND descriptor), retrying short
// writes and EINTR. Returns 0 or an errno value.
int write_fully(int fd, std::string_view data, off_t offset, bool positional) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = positional ? ::pwrite(fd, data.data() + done, data.size() - done,
                                            offset + static_cast<off_t>(done))
                                 : ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

Result<CsvWriter> CsvWriter::open(std::string_view prefix, HistoryRows rows) {
  CsvWriter writer(rows);
  const std::string base(prefix);
  writer.files_[kRequests].path = base + "_stats.csv";
  writer.files_[kFailures].path = base + "_failures.csv";
  writer.files_[kExceptions].path = base + "_exceptions.csv";
  writer.files_[kHistory].path = base + "_stats_history.csv";

  for (int i = 0; i < kFileCount; ++i) {
    File& file = writer.files_[i];
    const int append_flag = i == kHistory ? O_APPEND : 0;
    file.fd =
        ::open(file.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | append_flag, 0644);
    if (file.fd < 0) return file_error("cannot open", file.path, errno);
  }

  // Headers now, so that the files are valid CSV even if the run never writes a row.
  const std::string headers[kFileCount] = {requests_csv_header(), failures_csv_header(),
                                           exceptions_csv_header(), stats_history_csv_header()};
  for (int i = 0; i < kFileCount; ++i) {
    auto written = i == kHistory ? append(writer.files_[i], headers[i])
                                 : replace_contents(writer.files_[i], headers[i]);
    if (!written) return written.error();
  }
  return writer;
}

CsvWriter::CsvWriter(CsvWriter&& other) noexcept
    : rows_(other.rows_), files_(std::move(other.files_)) {
  for (File& file : other.files_) file.fd = -1;
}

CsvWriter& CsvWriter::operator=(CsvWriter&& other) noexcept {
  if (this != &other) {
    close_all();
    rows_ = other.rows_;
    files_ = std::move(other.files_);
    for (File& file : other.files_) file.fd = -1;
  }
  return *this;
}

CsvWriter::~CsvWriter() {
  close_all();
}

Result<void> CsvWriter::replace_contents(File& file, std::string_view contents) {
  if (file.fd < 0) return Error{"cannot write " + file.path + ": file is closed"};
  // Write first, then cut off what is left of a longer previous version: a reader never sees
  // an empty file, and the rows only ever grow in practice.
  if (const int e = write_fully(file.fd, contents, 0, true); e != 0) {
    return file_error("cannot write", file.path, e);
  }
  if (::ftruncate(file.fd, static_cast<off_t>(contents.size())) != 0) {
    return file_error("cannot write", file.path, errno);
  }
  return {};
}

Result<void> CsvWriter::append(File& file, std::string_view contents) {
  if (file.fd < 0) return Error{"cannot write " + file.path + ": file is closed"};
  if (const int e = write_fully(file.fd, contents, 0, false); e != 0) {
    return file_error("cannot write", file.path, e);
  }
  return {};
}

Result<void> CsvWriter::write(const Aggregate& aggregate, double now, std::uint64_t user_count) {
  if (auto r = replace_contents(files_[kRequests], requests_csv(aggregate)); !r) return r;
  if (auto r = append(files_[kHistory], stats_history_csv_rows(aggregate, now, user_count, rows_));
      !r) {
    return r;
  }
  if (auto r = replace_contents(files_[kFailures], failures_csv(aggregate)); !r) return r;
  if (auto r = replace_contents(files_[kExceptions], exceptions_csv(aggregate)); !r) return r;
  return {};
}

Result<void> CsvWriter::close() {
  std::optional<Error> first_error;
  for (File& file : files_) {
    if (file.fd < 0) continue;
    if (::close(file.fd) != 0 && !first_error)
      first_error = file_error("cannot close", file.path, errno);
    file.fd = -1;
  }
  if (first_error) return *first_error;
  return {};
}

void CsvWriter::close_all() noexcept {
  for (File& file : files_) {
    if (file.fd >= 0) ::close(file.fd);
    file.fd = -1;
  }
}

std::array<std::string, 4> CsvWriter::paths() const {
  return {files_[kRequests].path, files_[kFailures].path, files_[kExceptions].path,
          files_[kHistory].path};
}

}  // namespace hornet::stats
