// A scenario's own options (CustomOption): command line, environment, config files, precedence,
// type checks, --help, and the scenario-file pre-scan.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "temp_dir.hpp"

namespace hornet::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Type = CustomOption::Type;

std::vector<CustomOption> declared() {
  std::vector<CustomOption> options(5);
  options[0].names = {"--my-arg"};
  options[0].env_var = "MY_ARG";
  options[0].default_value = "x";
  options[0].help = "My custom arg";
  options[1].names = {"-n", "--my-int"};
  options[1].type = Type::kInt;
  options[1].default_value = "3";
  options[1].help = "An int";
  options[2].names = {"--my-flag"};
  options[2].type = Type::kBool;
  options[2].env_var = "MY_FLAG";
  options[2].help = "A flag";
  options[3].names = {"--mode"};
  options[3].choices = {"fast", "slow"};
  options[3].group = "Scenario options";
  options[3].help = "How to run";
  options[4].names = {"--ratio"};
  options[4].dest = "the_ratio";
  options[4].type = Type::kFloat;
  options[4].is_secret = true;
  return options;
}

class Sandbox {
 public:
  EnvironmentMap env;
  std::vector<CustomOption> custom = declared();

  const TempDir& cwd() const { return cwd_; }
  ConfigSearch where() const { return {cwd_.path(), home_.path()}; }

  ParseOutcome parse(const std::vector<std::string>& args) const {
    return parse_options(args, env, where(), {"hornet", "1.2.3"}, custom);
  }
  std::map<std::string, std::string> custom_values(const std::vector<std::string>& args) const {
    ParseOutcome outcome = parse(args);
    if (const auto* exit = std::get_if<EarlyExit>(&outcome)) {
      ADD_FAILURE() << "unexpected early exit: " << exit->text;
      return {};
    }
    return std::get<Options>(std::move(outcome)).custom;
  }
  std::string error(const std::vector<std::string>& args) const {
    const ParseOutcome outcome = parse(args);
    const auto* exit = std::get_if<EarlyExit>(&outcome);
    if (exit == nullptr) {
      ADD_FAILURE() << "expected a usage error, got Options";
      return "";
    }
    EXPECT_EQ(exit->exit_code(), 2);
    return exit->text;
  }

 private:
  TempDir cwd_;
  TempDir home_;
};

using Values = std::map<std::string, std::string>;

TEST(CustomOptions, DefaultsByDestWithFlagsFalseAndNoDefaultAbsent) {
  const Sandbox sandbox;
  EXPECT_EQ(sandbox.custom_values({}),
            (Values{{"my_arg", "x"}, {"my_int", "3"}, {"my_flag", "false"}}));
}

TEST(CustomOptions, NoCustomOptionsLeavesTheMapEmpty) {
  const TempDir cwd, home;
  const ParseOutcome outcome = parse_options(std::vector<std::string>{}, {}, {cwd.path(), home.path()},
                                             {"hornet", "1"});
  EXPECT_TRUE(std::get<Options>(outcome).custom.empty());
}

TEST(CustomOptions, CommandLineForms) {
  const Sandbox sandbox;
  const Values values = sandbox.custom_values(
      {"--my-arg", "v", "--my-int=7", "--my-flag", "--mode", "slow", "--ratio", "0.5", "-u", "2"});
  EXPECT_EQ(values.at("my_arg"), "v");
  EXPECT_EQ(values.at("my_int"), "7");
  EXPECT_EQ(values.at("my_flag"), "true");
  EXPECT_EQ(values.at("mode"), "slow");
  EXPECT_EQ(values.at("the_ratio"), "0.5");
  EXPECT_EQ(sandbox.custom_values({"-n", "9"}).at("my_int"), "9");
  EXPECT_EQ(sandbox.custom_values({"--my-arg=a=b"}).at("my_arg"), "a=b");
  EXPECT_EQ(sandbox.custom_values({"--my-flag=false"}).at("my_flag"), "false");
  // The last of repeated values wins, as argparse's store.
  EXPECT_EQ(sandbox.custom_values({"--my-arg", "a", "--my-arg", "b"}).at("my_arg"), "b");
}

TEST(CustomOptions, StoreFalseFlagsStoreFalseWhenGiven) {
  Sandbox sandbox;
  sandbox.custom[2].store_false = true;
  sandbox.custom[2].default_value = "true";
  EXPECT_EQ(sandbox.custom_values({}).at("my_flag"), "true");
  EXPECT_EQ(sandbox.custom_values({"--my-flag"}).at("my_flag"), "false");
  sandbox.env = {{"MY_FLAG", "yes"}};
  EXPECT_EQ(sandbox.custom_values({}).at("my_flag"), "false");
}

TEST(CustomOptions, BuiltInOptionsStillParse) {
  const Sandbox sandbox;
  const ParseOutcome outcome = sandbox.parse({"-u", "5", "--my-arg", "v", "MyUser"});
  const Options& options = std::get<Options>(outcome);
  EXPECT_EQ(options.users, 5);
  EXPECT_EQ(options.user_classes, std::vector<std::string>{"MyUser"});
}

TEST(CustomOptions, FromTheirEnvironmentVariable) {
  Sandbox sandbox;
  sandbox.env = {{"MY_ARG", "from-env"}, {"MY_FLAG", "yes"}};
  const Values values = sandbox.custom_values({});
  EXPECT_EQ(values.at("my_arg"), "from-env");
  EXPECT_EQ(values.at("my_flag"), "true");
  sandbox.env = {{"MY_ARG", ""}};  // empty counts as unset
  EXPECT_EQ(sandbox.custom_values({}).at("my_arg"), "x");
  sandbox.env = {{"LOCUST_MY_ARG", "no"}, {"HORNET_MY_ARG", "no"}};  // only the declared name
  EXPECT_EQ(sandbox.custom_values({}).at("my_arg"), "x");
}

TEST(CustomOptions, FromConfigFilesByLongNameWithoutDashes) {
  const Sandbox sandbox;
  sandbox.cwd().write("locust.conf", "my-arg = conf\nmy-int = 11\nmy-flag = true\nratio = 2\n");
  const Values values = sandbox.custom_values({});
  EXPECT_EQ(values.at("my_arg"), "conf");
  EXPECT_EQ(values.at("my_int"), "11");
  EXPECT_EQ(values.at("my_flag"), "true");
  EXPECT_EQ(values.at("the_ratio"), "2");
  sandbox.cwd().write("other.conf", "mode = fast\n");
  EXPECT_EQ(sandbox.custom_values({"--config", "other.conf"}).at("mode"), "fast");
}

TEST(CustomOptions, UnknownConfigKeysAreStillErrors) {
  const Sandbox sandbox;
  sandbox.cwd().write("locust.conf", "my_arg = dest-is-not-a-key\n");
  EXPECT_THAT(sandbox.error({}), HasSubstr("unrecognized option: 'my_arg' (from locust.conf line 1)"));
}

TEST(CustomOptions, PrecedenceCommandLineThenEnvironmentThenConfigThenDefault) {
  Sandbox sandbox;
  sandbox.cwd().write("locust.conf", "my-arg = conf\n");
  EXPECT_EQ(sandbox.custom_values({}).at("my_arg"), "conf");
  sandbox.env = {{"MY_ARG", "env"}};
  EXPECT_EQ(sandbox.custom_values({}).at("my_arg"), "env");
  EXPECT_EQ(sandbox.custom_values({"--my-arg", "cli"}).at("my_arg"), "cli");
  // A flag the config file sets can be undone from the environment.
  sandbox.cwd().write("locust.conf", "my-flag = true\n");
  sandbox.env = {{"MY_FLAG", "false"}};
  EXPECT_EQ(sandbox.custom_values({}).at("my_flag"), "false");
}

TEST(CustomOptions, BadValuesExitWithArgparsesMessage) {
  Sandbox sandbox;
  EXPECT_EQ(sandbox.error({"--my-int", "abc"}),
            "hornet: error: argument -n/--my-int: invalid int value: 'abc'\n");
  EXPECT_EQ(sandbox.error({"--ratio", "much"}),
            "hornet: error: argument --ratio: invalid float value: 'much'\n");
  EXPECT_EQ(sandbox.error({"--mode", "medium"}),
            "hornet: error: argument --mode: invalid choice: 'medium' (choose from 'fast', "
            "'slow')\n");
  EXPECT_EQ(sandbox.error({"--my-arg"}), "hornet: error: argument --my-arg: expected one argument\n");
  sandbox.env = {{"MY_FLAG", "maybe"}};
  EXPECT_THAT(sandbox.error({}), HasSubstr("argument --my-flag: "));
  EXPECT_THAT(sandbox.error({}), HasSubstr("(from MY_FLAG)"));
  sandbox.env.clear();
  sandbox.cwd().write("locust.conf", "my-int = 1.5\n");
  EXPECT_EQ(sandbox.error({}),
            "hornet: error: argument -n/--my-int: invalid int value: '1.5' (from locust.conf "
            "line 1)\n");
}

TEST(CustomOptions, IntChoicesCompareByValue) {
  Sandbox sandbox;
  sandbox.custom[1].choices = {"1", "2", "3"};
  EXPECT_EQ(sandbox.custom_values({"--my-int", "2"}).at("my_int"), "2");
  EXPECT_EQ(sandbox.error({"--my-int", "7"}),
            "hornet: error: argument -n/--my-int: invalid choice: 7 (choose from 1, 2, 3)\n");
}

TEST(CustomOptions, DefaultsAreNotChecked) {
  Sandbox sandbox;
  sandbox.custom[3].default_value = "neither";
  EXPECT_EQ(sandbox.custom_values({}).at("mode"), "neither");
}

TEST(CustomOptions, UnknownOptionsAreStillErrors) {
  const Sandbox sandbox;
  EXPECT_EQ(sandbox.error({"--not-declared"}),
            "hornet: error: unrecognized arguments: --not-declared\n");
}

TEST(CustomOptions, ConflictingNamesAreUsageErrors) {
  Sandbox sandbox;
  sandbox.custom[0].names = {"--host"};
  EXPECT_EQ(sandbox.error({}),
            "hornet: error: argument --host: conflicting option string: --host\n");
  sandbox.custom = declared();
  sandbox.custom[4].names = {"--my-arg"};
  EXPECT_THAT(sandbox.error({}), HasSubstr("conflicting option string: --my-arg"));
  sandbox.custom = declared();
  sandbox.custom[4].names = {"ratio"};
  EXPECT_THAT(sandbox.error({}), HasSubstr("invalid option string: 'ratio'"));
}

TEST(CustomOptions, HelpListsThemWhereLocustDoes) {
  const Sandbox sandbox;
  const ParseOutcome outcome = sandbox.parse({"--help", "--my-int", "bad"});
  const auto& exit = std::get<EarlyExit>(outcome);
  EXPECT_EQ(exit.exit_code(), 0);
  const std::string& text = exit.text;
  // Ungrouped ones close "Common options", after -l/--list and before "Web UI options".
  const std::size_t list = text.find("  -l, --list");
  const std::size_t my_arg = text.find("  --my-arg MY_ARG       My custom arg\n");
  const std::size_t web = text.find("\nWeb UI options:");
  ASSERT_NE(my_arg, std::string::npos) << text;
  EXPECT_LT(list, my_arg);
  EXPECT_LT(my_arg, web);
  EXPECT_THAT(text, HasSubstr("                        env: MY_ARG\n"));
  EXPECT_THAT(text, HasSubstr("  -n MY_INT, --my-int MY_INT\n                        An int\n"));
  EXPECT_THAT(text, HasSubstr("  --my-flag             A flag\n"));
  EXPECT_THAT(text, HasSubstr("  --ratio THE_RATIO\n"));
  // A group of their own after the built-in ones.
  const std::size_t group = text.find("\nScenario options:\n  --mode {fast,slow}    How to run\n");
  ASSERT_NE(group, std::string::npos) << text;
  EXPECT_LT(text.find("\nHornet options:"), group);
  EXPECT_EQ(help_text({"hornet", "1"}), help_text({"hornet", "1"}, {}));
  EXPECT_THAT(help_text({"hornet", "1"}), Not(HasSubstr("--my-arg")));
}

TEST(CustomOptions, CheckCustomValue) {
  const std::vector<CustomOption> options = declared();
  EXPECT_EQ(*check_custom_value(options[1], "-4"), "-4");
  EXPECT_EQ(check_custom_value(options[1], "4x").error().message, "invalid int value: '4x'");
  EXPECT_EQ(*check_custom_value(options[2], "on"), "true");
  EXPECT_EQ(*check_custom_value(options[3], "fast"), "fast");
  EXPECT_FALSE(check_custom_value(options[3], "Fast"));
  EXPECT_EQ(*check_custom_value(options[0], ""), "");
}

TEST(CustomOptions, EffectiveDest) {
  CustomOption option;
  option.names = {"-m", "--my-long-arg"};
  EXPECT_EQ(option.effective_dest(), "my_long_arg");
  EXPECT_EQ(option.long_name(), "--my-long-arg");
  option.names = {"-m"};
  EXPECT_EQ(option.effective_dest(), "m");
  option.dest = "explicit";
  EXPECT_EQ(option.effective_dest(), "explicit");
}

// ---- The pre-scan ----

using Files = std::vector<std::string>;

TEST(ScenarioFiles, DefaultIsLocustfile) {
  const Sandbox sandbox;
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{}, {}, sandbox.where()), Files{"locustfile"});
}

TEST(ScenarioFiles, FromTheCommandLineAmongUnknownOptions) {
  const Sandbox sandbox;
  const auto scan = [&](const Files& args) { return scenario_files_from(args, {}, sandbox.where()); };
  EXPECT_EQ(scan({"--my-arg", "v", "-f", "a.py", "--unknown=3", "--flag"}), Files{"a.py"});
  EXPECT_EQ(scan({"--locustfile=a.py,b.py"}), (Files{"a.py", "b.py"}));
  EXPECT_EQ(scan({"-fa.py", "--locustfile", "b.py"}), (Files{"a.py", "b.py"}));
  EXPECT_EQ(scan({"-H", "-f", "--headless"}), Files{"locustfile"});  // "-f" is -H's value
  EXPECT_EQ(scan({"-T", "a", "b", "-f", "c.py"}), Files{"c.py"});
  EXPECT_EQ(scan({"--", "-f", "x.py"}), Files{"locustfile"});
  EXPECT_EQ(scan({"-f"}), Files{"locustfile"});  // parse_options reports the missing value
  EXPECT_EQ(scan({"--help", "-f", "x.py"}), Files{"x.py"});
}

TEST(ScenarioFiles, EnvironmentThenConfigFiles) {
  Sandbox sandbox;
  // A file that does not parse is skipped here (parse_options reports it).
  sandbox.cwd().write("locust.conf", "locustfile = conf.py\n= 5\n");
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{}, sandbox.env, sandbox.where()),
            Files{"locustfile"});
  sandbox.cwd().write("locust.conf", "my-arg = v\nlocustfile = conf.py\n");
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{}, sandbox.env, sandbox.where()),
            Files{"conf.py"});
  sandbox.cwd().write("mine.conf", "locustfile = [m1.py, m2.py]\n");
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{"--config", "mine.conf"}, sandbox.env,
                                sandbox.where()),
            (Files{"m1.py", "m2.py"}));
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{"--config=missing.conf"}, sandbox.env,
                                sandbox.where()),
            Files{"conf.py"});
  sandbox.env = {{"LOCUST_LOCUSTFILE", "env.py"}};
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{}, sandbox.env, sandbox.where()),
            Files{"env.py"});
  sandbox.env["HORNET_LOCUSTFILE"] = "hornet.py";
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{}, sandbox.env, sandbox.where()),
            Files{"hornet.py"});
  EXPECT_EQ(scenario_files_from(std::vector<std::string>{"-f", "cli.py"}, sandbox.env,
                                sandbox.where()),
            Files{"cli.py"});
}

TEST(ScenarioFiles, AgreesWithParseOptions) {
  Sandbox sandbox;
  sandbox.cwd().write("hornet.conf", "locustfile = c.py\n");
  sandbox.env = {{"MY_ARG", "e"}};
  for (const Files& args : {Files{}, Files{"-f", "x.py,y.py", "--my-arg", "z"},
                            Files{"--my-int=4", "--locustfile=q.py"}}) {
    const ParseOutcome outcome = sandbox.parse(args);
    EXPECT_EQ(scenario_files_from(args, sandbox.env, sandbox.where()),
              std::get<Options>(outcome).locustfiles);
  }
}

}  // namespace
}  // namespace hornet::cli
