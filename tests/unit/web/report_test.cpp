#include "web/report.hpp"

#include <gtest/gtest.h>

#include "fake_backend.hpp"
#include "web/plot_config.hpp"

namespace hornet::web {
namespace {

TEST(Report, IsSelfContainedWithTheRunsTables) {
  testing::FakeBackend backend;
  const std::string html = render_report({.script = "seed",
                                          .host = "http://127.0.0.1:8000",
                                          .start_time = testing::kStart,
                                          .end_time = testing::kStart + 60,
                                          .stats = backend.stats(),
                                          .history = &backend.history(),
                                          .tasks = backend.tasks(),
                                          .plot_config = default_plot_config()});
  EXPECT_NE(html.find("Test Report for seed"), std::string::npos);
  EXPECT_NE(html.find("http://127.0.0.1:8000"), std::string::npos);
  EXPECT_NE(html.find("<td>/missing</td>"), std::string::npos);
  EXPECT_NE(html.find("HTTPError(&#x27;404"), std::string::npos);  // failures table, escaped
  EXPECT_NE(html.find("kaboom &lt;b&gt;"), std::string::npos);     // exceptions table
  EXPECT_NE(html.find("WebsiteUser"), std::string::npos);          // final ratio
  EXPECT_EQ(html.find("{{"), std::string::npos) << "a placeholder was left";
  EXPECT_GT(html.size(), 1'000'000u);                       // BokehJS inlined
  EXPECT_EQ(html.find("<script src="), std::string::npos);  // nothing loaded from elsewhere
}

TEST(JsonForScript, HasNoLessThanSign) {
  const auto text = json_for_script({{"legend", "<!--<script></script>"}});
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(text)["legend"], "<!--<script></script>");
}

TEST(InlineScript, CannotCloseTheScriptElement) {
  EXPECT_EQ(inline_script("a</script><b>"), "a<\\/script><b>");
  EXPECT_EQ(inline_script("x < y / z"), "x < y / z");
}

}  // namespace
}  // namespace hornet::web
