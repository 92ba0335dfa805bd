#include "stats/csv_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "stats/shard.hpp"

namespace hornet::stats {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class CsvWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("hornet_csv_writer_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string prefix() const { return (dir_ / "run").string(); }

  fs::path dir_;
};

TEST_F(CsvWriterTest, OpenCreatesAllFourFilesWithHeaders) {
  auto writer = CsvWriter::open(prefix(), HistoryRows::kAggregatedOnly);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  EXPECT_EQ(read_file(dir_ / "run_stats.csv"), requests_csv_header());
  EXPECT_EQ(read_file(dir_ / "run_failures.csv"), failures_csv_header());
  EXPECT_EQ(read_file(dir_ / "run_exceptions.csv"), exceptions_csv_header());
  EXPECT_EQ(read_file(dir_ / "run_stats_history.csv"), stats_history_csv_header());
  EXPECT_EQ(writer->paths()[3], prefix() + "_stats_history.csv");
  EXPECT_TRUE(writer->close().ok());
}

TEST_F(CsvWriterTest, WriteRewritesSnapshotsAndAppendsHistory) {
  auto writer = CsvWriter::open(prefix(), HistoryRows::kFullHistory);
  ASSERT_TRUE(writer.ok()) << writer.error().message;

  Aggregate aggregate(1000.0);
  Shard shard(1000.0);
  shard.record_failure(shard.entry("GET", "/a"), 5'000, 10, "boom", 1000.5);
  shard.record_exception("ValueError()", "tb");
  aggregate.merge(shard.take_delta(1001.0), 1001.0);
  ASSERT_TRUE(writer->write(aggregate, 1001.0, 3).ok());

  // Every write leaves complete files on disk, without close().
  EXPECT_EQ(read_file(dir_ / "run_stats.csv"), requests_csv(aggregate));
  EXPECT_EQ(read_file(dir_ / "run_failures.csv"), failures_csv(aggregate));
  EXPECT_EQ(read_file(dir_ / "run_exceptions.csv"), exceptions_csv(aggregate));
  const std::string first_rows =
      stats_history_csv_rows(aggregate, 1001.0, 3, HistoryRows::kFullHistory);
  EXPECT_EQ(read_file(dir_ / "run_stats_history.csv"), stats_history_csv_header() + first_rows);

  // A shorter second version replaces the first entirely.
  aggregate.clear_all(1002.0);
  ASSERT_TRUE(writer->write(aggregate, 1002.0, 0).ok());
  EXPECT_EQ(read_file(dir_ / "run_stats.csv"), requests_csv(aggregate));
  EXPECT_EQ(read_file(dir_ / "run_failures.csv"), failures_csv_header());
  EXPECT_EQ(read_file(dir_ / "run_exceptions.csv"), exceptions_csv_header());
  EXPECT_EQ(read_file(dir_ / "run_stats_history.csv"),
            stats_history_csv_header() + first_rows +
                stats_history_csv_rows(aggregate, 1002.0, 0, HistoryRows::kFullHistory));

  EXPECT_TRUE(writer->close().ok());
  const auto after_close = writer->write(aggregate, 1003.0, 0);
  ASSERT_FALSE(after_close.ok());
  EXPECT_NE(after_close.error().message.find("run_stats.csv"), std::string::npos);
}

TEST_F(CsvWriterTest, OpenFailureNamesTheFile) {
  const std::string missing = (dir_ / "no-such-dir" / "run").string();
  auto writer = CsvWriter::open(missing, HistoryRows::kAggregatedOnly);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().message.find(missing + "_stats.csv"), std::string::npos)
      << writer.error().message;
}

TEST_F(CsvWriterTest, OpenFailureOnALaterFileNamesThatFile) {
  fs::create_directories(dir_ / "run_failures.csv");  // a directory cannot be opened for writing
  auto writer = CsvWriter::open(prefix(), HistoryRows::kAggregatedOnly);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().message.find("run_failures.csv"), std::string::npos)
      << writer.error().message;
}

TEST_F(CsvWriterTest, MovedWriterKeepsWriting) {
  auto opened = CsvWriter::open(prefix(), HistoryRows::kAggregatedOnly);
  ASSERT_TRUE(opened.ok());
  CsvWriter writer = std::move(opened).value();
  const Aggregate aggregate(1000.0);
  ASSERT_TRUE(writer.write(aggregate, 1000.0, 0).ok());
  EXPECT_EQ(read_file(dir_ / "run_stats_history.csv"),
            stats_history_csv_header() +
                stats_history_csv_rows(aggregate, 1000.0, 0, HistoryRows::kAggregatedOnly));
}

}  // namespace
}  // namespace hornet::stats
