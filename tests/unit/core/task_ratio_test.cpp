// core::user_distribution and core::task_ratio against Locust's inspectuser (_calc_distribution,
// get_ratio, _print_task_ratio) on the same classes, nested task sets included. Expected values
// were printed by gen_scenario_vectors.py.
#include "core/task_ratio.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "forum_classes.hpp"

namespace hornet::core {
namespace {

struct RatioCase {
  std::string name;
  std::vector<std::string> classes;
  int num_users;             // -u; 0: Locust's default (sum of weights, or 1 with fixed counts)
  std::string distribution;  // _calc_distribution
  std::string per_class;     // get_ratio(..., total=False)
  std::string total;         // get_ratio(..., total=True)
};

// Printed by gen_scenario_vectors.py (one line per value: they are long).
// clang-format off
const std::vector<RatioCase> kRatioCases = {
    {"SiteUsers0", {"Site"}, 0,
     R"({"Site": 2})",
     R"({"Site": {"ratio": 1.0, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}})",
     R"({"Site": {"ratio": 1.0, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.24009603841536614}, "create_thread": {"ratio": 0.01680672268907563}, "comment": {"ratio": 0.026410564225690276}, "untagged": {"ratio": 0.0024009603841536613}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.03571428571428571, "tasks": {"deep": {"ratio": 0.03571428571428571}}}, "ban": {"ratio": 0.03571428571428571}, "delete_post": {"ratio": 0.07142857142857142}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}})"},
    {"SiteApiUsers0", {"Site", "Api"}, 0,
     R"({"Site": 2, "Api": 1})",
     R"({"Site": {"ratio": 0.6666666666666666, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}, "Api": {"ratio": 0.3333333333333333, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}})",
     R"({"Site": {"ratio": 0.6666666666666666, "tasks": {"ForumPage": {"ratio": 0.19047619047619047, "tasks": {"read_thread": {"ratio": 0.1600640256102441}, "create_thread": {"ratio": 0.011204481792717087}, "comment": {"ratio": 0.01760704281712685}, "untagged": {"ratio": 0.0016006402561024409}}}, "AdminSet": {"ratio": 0.09523809523809523, "tasks": {"Nested2": {"ratio": 0.023809523809523808, "tasks": {"deep": {"ratio": 0.023809523809523808}}}, "ban": {"ratio": 0.023809523809523808}, "delete_post": {"ratio": 0.047619047619047616}}}, "browse": {"ratio": 0.09523809523809523}, "home": {"ratio": 0.2857142857142857}}}, "Api": {"ratio": 0.3333333333333333, "tasks": {"get": {"ratio": 0.2222222222222222}, "post": {"ratio": 0.1111111111111111}}}})"},
    {"SiteApiUsers7", {"Site", "Api"}, 7,
     R"({"Site": 5, "Api": 2})",
     R"({"Site": {"ratio": 0.7142857142857143, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}, "Api": {"ratio": 0.2857142857142857, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}})",
     R"({"Site": {"ratio": 0.7142857142857143, "tasks": {"ForumPage": {"ratio": 0.20408163265306123, "tasks": {"read_thread": {"ratio": 0.1714971702966901}, "create_thread": {"ratio": 0.012004801920768308}, "comment": {"ratio": 0.018864688732635915}, "untagged": {"ratio": 0.001714971702966901}}}, "AdminSet": {"ratio": 0.10204081632653061, "tasks": {"Nested2": {"ratio": 0.025510204081632654, "tasks": {"deep": {"ratio": 0.025510204081632654}}}, "ban": {"ratio": 0.025510204081632654}, "delete_post": {"ratio": 0.05102040816326531}}}, "browse": {"ratio": 0.10204081632653061}, "home": {"ratio": 0.30612244897959184}}}, "Api": {"ratio": 0.2857142857142857, "tasks": {"get": {"ratio": 0.19047619047619047}, "post": {"ratio": 0.09523809523809523}}}})"},
    {"SiteApiAdminUsers10", {"Site", "Api", "Admin"}, 10,
     R"({"Site": 6, "Api": 3, "Admin": 1})",
     R"({"Site": {"ratio": 0.6, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}, "Api": {"ratio": 0.3, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}, "Admin": {"ratio": 0.1, "tasks": {"AdminSet": {"ratio": 1.0, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}}}})",
     R"({"Site": {"ratio": 0.6, "tasks": {"ForumPage": {"ratio": 0.17142857142857143, "tasks": {"read_thread": {"ratio": 0.14405762304921968}, "create_thread": {"ratio": 0.010084033613445377}, "comment": {"ratio": 0.015846338535414166}, "untagged": {"ratio": 0.001440576230492197}}}, "AdminSet": {"ratio": 0.08571428571428572, "tasks": {"Nested2": {"ratio": 0.02142857142857143, "tasks": {"deep": {"ratio": 0.02142857142857143}}}, "ban": {"ratio": 0.02142857142857143}, "delete_post": {"ratio": 0.04285714285714286}}}, "browse": {"ratio": 0.08571428571428572}, "home": {"ratio": 0.2571428571428571}}}, "Api": {"ratio": 0.3, "tasks": {"get": {"ratio": 0.19999999999999998}, "post": {"ratio": 0.09999999999999999}}}, "Admin": {"ratio": 0.1, "tasks": {"AdminSet": {"ratio": 0.1, "tasks": {"Nested2": {"ratio": 0.025, "tasks": {"deep": {"ratio": 0.025}}}, "ban": {"ratio": 0.025}, "delete_post": {"ratio": 0.05}}}}}})"},
    {"ApiSiteUsers2", {"Api", "Site"}, 2,
     R"({"Api": 1, "Site": 1})",
     R"({"Api": {"ratio": 0.5, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}, "Site": {"ratio": 0.5, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}})",
     R"({"Api": {"ratio": 0.5, "tasks": {"get": {"ratio": 0.3333333333333333}, "post": {"ratio": 0.16666666666666666}}}, "Site": {"ratio": 0.5, "tasks": {"ForumPage": {"ratio": 0.14285714285714285, "tasks": {"read_thread": {"ratio": 0.12004801920768307}, "create_thread": {"ratio": 0.008403361344537815}, "comment": {"ratio": 0.013205282112845138}, "untagged": {"ratio": 0.0012004801920768306}}}, "AdminSet": {"ratio": 0.07142857142857142, "tasks": {"Nested2": {"ratio": 0.017857142857142856, "tasks": {"deep": {"ratio": 0.017857142857142856}}}, "ban": {"ratio": 0.017857142857142856}, "delete_post": {"ratio": 0.03571428571428571}}}, "browse": {"ratio": 0.07142857142857142}, "home": {"ratio": 0.21428571428571427}}}})"},
    {"AdminUsers0", {"Admin"}, 0,
     R"({"Admin": 1})",
     R"({"Admin": {"ratio": 1.0, "tasks": {"AdminSet": {"ratio": 1.0, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}}}})",
     R"({"Admin": {"ratio": 1.0, "tasks": {"AdminSet": {"ratio": 1.0, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 0.25}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}}}})"},
    {"SiteApiAdminShopperUsers13", {"Site", "Api", "Admin", "Shopper"}, 13,
     R"({"Site": 4, "Api": 2, "Admin": 1, "Shopper": 6})",
     R"({"Site": {"ratio": 0.3076923076923077, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}, "Api": {"ratio": 0.15384615384615385, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}, "Admin": {"ratio": 0.07692307692307693, "tasks": {"AdminSet": {"ratio": 1.0, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}}}, "Shopper": {"ratio": 0.46153846153846156, "tasks": {"Checkout": {"ratio": 0.5, "tasks": {"cart": {"ratio": 0.6666666666666666}, "pay": {"ratio": 0.3333333333333333}}}, "look": {"ratio": 0.5}}}})",
     R"({"Site": {"ratio": 0.3076923076923077, "tasks": {"ForumPage": {"ratio": 0.08791208791208792, "tasks": {"read_thread": {"ratio": 0.07387570412780498}, "create_thread": {"ratio": 0.0051712992889463485}, "comment": {"ratio": 0.008126327454058547}, "untagged": {"ratio": 0.0007387570412780497}}}, "AdminSet": {"ratio": 0.04395604395604396, "tasks": {"Nested2": {"ratio": 0.01098901098901099, "tasks": {"deep": {"ratio": 0.01098901098901099}}}, "ban": {"ratio": 0.01098901098901099}, "delete_post": {"ratio": 0.02197802197802198}}}, "browse": {"ratio": 0.04395604395604396}, "home": {"ratio": 0.13186813186813187}}}, "Api": {"ratio": 0.15384615384615385, "tasks": {"get": {"ratio": 0.10256410256410257}, "post": {"ratio": 0.05128205128205129}}}, "Admin": {"ratio": 0.07692307692307693, "tasks": {"AdminSet": {"ratio": 0.07692307692307693, "tasks": {"Nested2": {"ratio": 0.019230769230769232, "tasks": {"deep": {"ratio": 0.019230769230769232}}}, "ban": {"ratio": 0.019230769230769232}, "delete_post": {"ratio": 0.038461538461538464}}}}}, "Shopper": {"ratio": 0.46153846153846156, "tasks": {"Checkout": {"ratio": 0.23076923076923078, "tasks": {"cart": {"ratio": 0.15384615384615385}, "pay": {"ratio": 0.07692307692307693}}}, "look": {"ratio": 0.23076923076923078}}}})"},
    {"ApiShopperUsers2", {"Api", "Shopper"}, 2,
     R"({"Api": 0, "Shopper": 2})",
     R"({"Api": {"ratio": 0.0, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}, "Shopper": {"ratio": 1.0, "tasks": {"Checkout": {"ratio": 0.5, "tasks": {"cart": {"ratio": 0.6666666666666666}, "pay": {"ratio": 0.3333333333333333}}}, "look": {"ratio": 0.5}}}})",
     R"({"Api": {"ratio": 0.0, "tasks": {"get": {"ratio": 0.0}, "post": {"ratio": 0.0}}}, "Shopper": {"ratio": 1.0, "tasks": {"Checkout": {"ratio": 0.5, "tasks": {"cart": {"ratio": 0.3333333333333333}, "pay": {"ratio": 0.16666666666666666}}}, "look": {"ratio": 0.5}}}})"},
    {"ApiShopperUsers6", {"Api", "Shopper"}, 6,
     R"({"Api": 2, "Shopper": 4})",
     R"({"Api": {"ratio": 0.3333333333333333, "tasks": {"get": {"ratio": 0.6666666666666666}, "post": {"ratio": 0.3333333333333333}}}, "Shopper": {"ratio": 0.6666666666666666, "tasks": {"Checkout": {"ratio": 0.5, "tasks": {"cart": {"ratio": 0.6666666666666666}, "pay": {"ratio": 0.3333333333333333}}}, "look": {"ratio": 0.5}}}})",
     R"({"Api": {"ratio": 0.3333333333333333, "tasks": {"get": {"ratio": 0.2222222222222222}, "post": {"ratio": 0.1111111111111111}}}, "Shopper": {"ratio": 0.6666666666666666, "tasks": {"Checkout": {"ratio": 0.3333333333333333, "tasks": {"cart": {"ratio": 0.2222222222222222}, "pay": {"ratio": 0.1111111111111111}}}, "look": {"ratio": 0.3333333333333333}}}})"},
    {"SiteAdminUsers0", {"Site", "Admin"}, 0,
     R"({"Site": 0, "Admin": 1})",
     R"({"Site": {"ratio": 0.0, "tasks": {"ForumPage": {"ratio": 0.2857142857142857, "tasks": {"read_thread": {"ratio": 0.8403361344537815}, "create_thread": {"ratio": 0.058823529411764705}, "comment": {"ratio": 0.09243697478991597}, "untagged": {"ratio": 0.008403361344537815}}}, "AdminSet": {"ratio": 0.14285714285714285, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}, "browse": {"ratio": 0.14285714285714285}, "home": {"ratio": 0.42857142857142855}}}, "Admin": {"ratio": 1.0, "tasks": {"AdminSet": {"ratio": 1.0, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 1.0}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}}}})",
     R"({"Site": {"ratio": 0.0, "tasks": {"ForumPage": {"ratio": 0.0, "tasks": {"read_thread": {"ratio": 0.0}, "create_thread": {"ratio": 0.0}, "comment": {"ratio": 0.0}, "untagged": {"ratio": 0.0}}}, "AdminSet": {"ratio": 0.0, "tasks": {"Nested2": {"ratio": 0.0, "tasks": {"deep": {"ratio": 0.0}}}, "ban": {"ratio": 0.0}, "delete_post": {"ratio": 0.0}}}, "browse": {"ratio": 0.0}, "home": {"ratio": 0.0}}}, "Admin": {"ratio": 1.0, "tasks": {"AdminSet": {"ratio": 1.0, "tasks": {"Nested2": {"ratio": 0.25, "tasks": {"deep": {"ratio": 0.25}}}, "ban": {"ratio": 0.25}, "delete_post": {"ratio": 0.5}}}}}})"},
};
// clang-format on

Scenario prepared(const std::vector<std::string>& names) {
  Result<Scenario> result = Scenario::prepare(forum::classes(names), {});
  EXPECT_TRUE(result.ok());
  return result.ok() ? std::move(result).value() : Scenario{};
}

// gtest prints a failing case by its name.
void PrintTo(const RatioCase& c, std::ostream* os) {
  *os << c.name;
}

class LocustTaskRatio : public testing::TestWithParam<RatioCase> {};

TEST_P(LocustTaskRatio, UserDistributionMatchesCalcDistribution) {
  const RatioCase& c = GetParam();
  const Scenario scenario = prepared(c.classes);
  const auto expected = nlohmann::json::parse(c.distribution).get<std::map<std::string, int>>();
  EXPECT_EQ(user_distribution(scenario, c.num_users), expected);
}

TEST_P(LocustTaskRatio, PerClassRatiosMatchGetRatio) {
  const RatioCase& c = GetParam();
  const Scenario scenario = prepared(c.classes);
  const auto distribution = user_distribution(scenario, c.num_users);
  // ordered_json compares keys in order too: Locust's dicts keep declaration order.
  EXPECT_EQ(task_ratio(scenario, distribution, false), nlohmann::ordered_json::parse(c.per_class));
}

TEST_P(LocustTaskRatio, TotalRatiosMatchGetRatio) {
  const RatioCase& c = GetParam();
  const Scenario scenario = prepared(c.classes);
  const auto distribution = user_distribution(scenario, c.num_users);
  EXPECT_EQ(task_ratio(scenario, distribution, true), nlohmann::ordered_json::parse(c.total));
}

INSTANTIATE_TEST_SUITE_P(Locust212, LocustTaskRatio, testing::ValuesIn(kRatioCases),
                         [](const testing::TestParamInfo<RatioCase>& info) {
                           return info.param.name;
                         });

TEST(TaskRatio, ClassesMissingFromTheCountsHaveRatioZero) {
  // Before a test starts, Locust's /tasks reports every class with ratio 0.0.
  const Scenario scenario = prepared({"Site", "Api"});
  const auto ratios = task_ratio(scenario, {}, true);
  EXPECT_EQ(ratios["Site"]["ratio"].get<double>(), 0.0);
  EXPECT_EQ(ratios["Api"]["ratio"].get<double>(), 0.0);
  EXPECT_EQ(ratios["Api"]["tasks"]["get"]["ratio"].get<double>(), 0.0);
  const auto per_class = task_ratio(scenario, {}, false);
  EXPECT_DOUBLE_EQ(per_class["Api"]["tasks"]["get"]["ratio"].get<double>(), 2.0 / 3.0);
}

TEST(TaskRatio, FormatMatchesLocustsPrintTaskRatio) {
  // _print_task_ratio(get_ratio([Site, Api], _calc_distribution(..., 7), False)), verbatim.
  const Scenario scenario = prepared({"Site", "Api"});
  const std::string expected =
      " 71.4       Site                                              \n"
      "   28.6       ForumPage                                       \n"
      "     84.0       read_thread                                   \n"
      "     5.9        create_thread                                 \n"
      "     9.2        comment                                       \n"
      "     0.8        untagged                                      \n"
      "   14.3       AdminSet                                        \n"
      "     25.0       Nested2                                       \n"
      "       100.0        deep                                        \n"
      "     25.0       ban                                           \n"
      "     50.0       delete_post                                   \n"
      "   14.3       browse                                          \n"
      "   42.9       home                                            \n"
      " 28.6       Api                                               \n"
      "   66.7       get                                             \n"
      "   33.3       post                                            \n";
  EXPECT_EQ(format_task_ratio(task_ratio(scenario, user_distribution(scenario, 7), false)),
            expected);
}

}  // namespace
}  // namespace hornet::core
