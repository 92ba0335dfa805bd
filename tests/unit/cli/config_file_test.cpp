#include "cli/config_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "temp_dir.hpp"

namespace hornet::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::FieldsAre;

struct LineCase {
  std::string line;
  std::string key;
  std::string value;
};

class ConfigLine : public ::testing::TestWithParam<LineCase> {};

TEST_P(ConfigLine, GivesKeyAndValue) {
  const Result<std::vector<ConfigEntry>> entries = parse_config_text(GetParam().line, "t.conf");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_THAT(*entries, ElementsAre(FieldsAre(GetParam().key, GetParam().value, 1)));
}

INSTANTIATE_TEST_SUITE_P(
    Configargparse, ConfigLine,
    ::testing::Values(
        // The three separators, with and without spaces.
        LineCase{"users = 7", "users", "7"}, LineCase{"users=7", "users", "7"},
        LineCase{"users: 7", "users", "7"}, LineCase{"users:7", "users", "7"},
        LineCase{"users 7", "users", "7"}, LineCase{"users\t7", "users", "7"},
        LineCase{"  users   =   7  ", "users", "7"},
        // A bare key is a flag set to true; an explicit separator with nothing is "".
        LineCase{"headless", "headless", "true"}, LineCase{"headless   ", "headless", "true"},
        LineCase{"host =", "host", ""}, LineCase{"host:", "host", ""},
        // Trailing comments need a space before them.
        LineCase{"users = 7 # seven", "users", "7"}, LineCase{"users = 7 ; seven", "users", "7"},
        LineCase{"headless # on", "headless", "true"}, LineCase{"host = # none", "host", ""},
        LineCase{"host = a#b", "host", "a#b"}, LineCase{"host = a;b", "host", "a;b"},
        LineCase{"host =#x", "host", "#x"},
        // Values keep inner spaces and separators.
        LineCase{"web-auth = user:pass", "web-auth", "user:pass"},
        LineCase{"host = http://h:8080/x?a=b", "host", "http://h:8080/x?a=b"},
        LineCase{"html = my report.html", "html", "my report.html"},
        // One pair of matching quotes is removed; a quoted value may hold a comment sign.
        LineCase{"host = \"http://x\"", "host", "http://x"},
        LineCase{"host = 'http://x'", "host", "http://x"},
        LineCase{"host = \"a # b\" # c", "host", "a # b"}, LineCase{"host = \"\"", "host", ""},
        LineCase{"host = \"http://x'", "host", "\"http://x'"},
        LineCase{"host = \"x", "host", "\"x"},
        // List syntax is left to the option.
        LineCase{"tags = [a, b]", "tags", "[a, b]"}, LineCase{"tags = a, b", "tags", "a, b"},
        // Windows line endings.
        LineCase{"users = 7\r", "users", "7"}));

TEST(ConfigText, SkipsBlankCommentSectionAndYamlMarkerLines) {
  const Result<std::vector<ConfigEntry>> entries = parse_config_text(
      "\xEF\xBB\xBF# comment\n"
      "; another\n"
      "\n"
      "[locust]\n"
      "   \n"
      "---\n"
      "users = 7\n"
      "  # indented comment\n"
      "[section two]\n"
      "headless\n"
      "users = 8",
      "t.conf");
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  EXPECT_THAT(*entries, ElementsAre(FieldsAre("users", "7", 7), FieldsAre("headless", "true", 10),
                                    FieldsAre("users", "8", 11)));
}

TEST(ConfigText, EmptyTextHasNoEntries) {
  const Result<std::vector<ConfigEntry>> entries = parse_config_text("", "t.conf");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(ConfigText, UnparsableLinesNameFileAndLine) {
  for (const char* line : {"= 5", ": 5", "users#x", "users;x"}) {
    const Result<std::vector<ConfigEntry>> entries =
        parse_config_text("headless\n\n" + std::string(line) + "\n", "my.conf");
    ASSERT_FALSE(entries.ok()) << line;
    EXPECT_EQ(entries.error().message,
              "invalid line: '" + std::string(line) + "' (from my.conf line 3)");
  }
}

TEST(ConfigFileRead, ReadsAndNamesTheFile) {
  const TempDir dir;
  dir.write("a.conf", "users = 3\nspawn-rate: 2\n");
  const Result<std::optional<ConfigFile>> file =
      read_config_file(dir.path() / "a.conf", "shown.conf", IfMissing::kError);
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_TRUE(file->has_value());
  EXPECT_EQ((*file)->name, "shown.conf");
  EXPECT_THAT((*file)->entries,
              ElementsAre(FieldsAre("users", "3", 1), FieldsAre("spawn-rate", "2", 2)));
}

TEST(ConfigFileRead, MissingFileIsSkippedOrAnError) {
  const TempDir dir;
  const Result<std::optional<ConfigFile>> skipped =
      read_config_file(dir.path() / "none.conf", "none.conf", IfMissing::kSkip);
  ASSERT_TRUE(skipped.ok());
  EXPECT_FALSE(skipped->has_value());

  const Result<std::optional<ConfigFile>> missing =
      read_config_file(dir.path() / "none.conf", "none.conf", IfMissing::kError);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "can't open 'none.conf': No such file or directory");
}

TEST(ConfigFileRead, DirectoryIsAnErrorEvenWhenMissingFilesAreSkipped) {
  const TempDir dir;
  std::filesystem::create_directory(dir.path() / "hornet.conf");
  const Result<std::optional<ConfigFile>> file =
      read_config_file(dir.path() / "hornet.conf", "hornet.conf", IfMissing::kSkip);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().message, "can't open 'hornet.conf': Is a directory");
}

TEST(ConfigFileRead, UnreadableFileIsAnError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files regardless of permissions";
  const TempDir dir;
  dir.write("locked.conf", "users = 1\n");
  std::filesystem::permissions(dir.path() / "locked.conf", std::filesystem::perms::none);
  const Result<std::optional<ConfigFile>> file =
      read_config_file(dir.path() / "locked.conf", "locked.conf", IfMissing::kSkip);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().message, "can't open 'locked.conf': Permission denied");
}

TEST(ConfigFileRead, SyntaxErrorsNameTheFile) {
  const TempDir dir;
  dir.write("bad.conf", "users = 1\n=2\n");
  const Result<std::optional<ConfigFile>> file =
      read_config_file(dir.path() / "bad.conf", "~/bad.conf", IfMissing::kSkip);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().message, "invalid line: '=2' (from ~/bad.conf line 2)");
}

}  // namespace
}  // namespace hornet::cli
