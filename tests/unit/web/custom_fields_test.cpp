// A scenario's custom options in the web UI: /ui/config's extra_options and /swarm's fields.
#include <gtest/gtest.h>

#include "fake_backend.hpp"
#include "web/routes.hpp"

namespace hornet::web {
namespace {

using cli::CustomOption;
using testing::get;
using testing::post;

class CustomBackend : public testing::FakeBackend {
 public:
  CustomBackend() {
    CustomField text;
    text.option.names = {"--my-arg"};
    text.option.help = "My custom arg";
    text.value = "x";
    CustomField number;
    number.option.names = {"-n", "--my-int"};
    number.option.type = CustomOption::Type::kInt;
    number.value = "3";
    CustomField mode;
    mode.option.names = {"--mode"};
    mode.option.choices = {"fast", "slow"};
    mode.value = "fast";
    CustomField secret;
    secret.option.names = {"--api-key"};
    secret.option.is_secret = true;
    secret.value = "s3cret";
    CustomField flag;
    flag.option.names = {"--my-flag"};
    flag.option.type = CustomOption::Type::kBool;
    flag.value = "false";
    CustomField hidden;
    hidden.option.names = {"--hidden"};
    hidden.option.include_in_web_ui = false;
    hidden.value = "h";
    CustomField unset;
    unset.option.names = {"--ratio"};
    unset.option.dest = "the_ratio";
    unset.option.type = CustomOption::Type::kFloat;
    fields = {text, number, mode, secret, flag, hidden, unset};
  }
  std::vector<CustomField> custom_fields() const override { return fields; }

  std::vector<CustomField> fields;
};

const std::string kCounts = "user_count=1&spawn_rate=1";

TEST(CustomFields, UiConfigListsTheWebUiOnesInOrder) {
  CustomBackend backend;
  const Reply reply = route(get("/ui/config"), backend, {});
  ASSERT_EQ(reply.status, 200);
  const auto config = nlohmann::json::parse(reply.body);
  EXPECT_EQ(config["mode"], "live");  // the backend's own settings stay
  const auto& extra = config["extra_options"];
  ASSERT_EQ(extra.size(), 6u) << extra.dump();
  EXPECT_EQ(extra[0], nlohmann::json::parse(R"({"dest": "my_arg", "label": "--my-arg",
      "type": "str", "value": "x", "choices": [], "help": "My custom arg",
      "is_secret": false})"));
  EXPECT_EQ(extra[1]["dest"], "my_int");
  EXPECT_EQ(extra[1]["type"], "int");
  EXPECT_EQ(extra[2]["choices"], nlohmann::json::array({"fast", "slow"}));
  EXPECT_EQ(extra[3]["is_secret"], true);
  EXPECT_EQ(extra[4]["type"], "bool");
  EXPECT_EQ(extra[5]["dest"], "the_ratio");
  EXPECT_TRUE(extra[5]["value"].is_null());
  EXPECT_EQ(reply.body.find("\"hidden\""), std::string::npos);
}

TEST(CustomFields, UiConfigWithoutCustomOptionsHasAnEmptyList) {
  testing::FakeBackend backend;
  const auto config = nlohmann::json::parse(route(get("/ui/config"), backend, {}).body);
  EXPECT_EQ(config["extra_options"], nlohmann::json::array());
}

TEST(CustomFields, SwarmCarriesTheSentFieldsToTheBackend) {
  CustomBackend backend;
  const Reply reply = route(post("/swarm", kCounts +
                                               "&my_arg=hello+world&my_int=+7+&mode=slow"
                                               "&api_key=k&my_flag=on&the_ratio=0.25"
                                               "&hidden=no&unknown=1"),
                            backend, {});
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_EQ(backend.swarms.size(), 1u);
  EXPECT_EQ(backend.swarms[0].custom,
            (std::map<std::string, std::string>{{"my_arg", "hello world"},
                                                {"my_int", "7"},
                                                {"mode", "slow"},
                                                {"api_key", "k"},
                                                {"my_flag", "true"},
                                                {"the_ratio", "0.25"}}));
}

TEST(CustomFields, MissingAndEmptyNumericFieldsAreLeftOut) {
  CustomBackend backend;
  ASSERT_EQ(route(post("/swarm", kCounts + "&my_int=&my_arg="), backend, {}).status, 200);
  ASSERT_EQ(backend.swarms.size(), 1u);
  EXPECT_EQ(backend.swarms[0].custom, (std::map<std::string, std::string>{{"my_arg", ""}}));
}

TEST(CustomFields, BadValuesAre400AndStartNothing) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"my_int=abc", "my_int: invalid int value: 'abc'"},
      {"the_ratio=lots", "the_ratio: invalid float value: 'lots'"},
      {"mode=medium", "mode: invalid choice: 'medium' (choose from 'fast', 'slow')"},
      {"my_flag=maybe", "my_flag: "},
  };
  for (const auto& [field, message] : cases) {
    CustomBackend backend;
    const Reply reply = route(post("/swarm", kCounts + "&" + field), backend, {});
    EXPECT_EQ(reply.status, 400) << field;
    const auto body = nlohmann::json::parse(reply.body);
    EXPECT_EQ(body["success"], false);
    EXPECT_EQ(body["message"].get<std::string>().rfind(message, 0), 0u) << body["message"];
    EXPECT_TRUE(backend.swarms.empty());
  }
}

TEST(CustomFields, ParseSwarmFormWithoutFieldsIgnoresThem) {
  const auto parsed = parse_swarm_form(kCounts + "&my_arg=v");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->custom.empty());
}

}  // namespace
}  // namespace hornet::web
