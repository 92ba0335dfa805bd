// core::Scenario::prepare: class selection, weight-0 classes, tag filtering as Locust's
// filter_tasks_by_tags (expected values from gen_scenario_vectors.py), and PreparedClass's
// task picking (random by weight, sequential in order).
#include "core/scenario.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "forum_classes.hpp"

namespace hornet::core {
namespace {

using forum::ClassList;

std::vector<std::string> names_of(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& cls : scenario.user_classes()) names.push_back(cls->name());
  return names;
}

// "name:weight" per task in order, nested task sets as "Name:weight(...)": the shape
// gen_scenario_vectors.py prints Locust's filtered task lists in.
std::string describe_tasks(const PreparedClass& cls) {
  std::string out;
  for (const auto& task : cls.tasks) {
    if (!out.empty()) out += ' ';
    out += task.info->name + ':' + std::to_string(task.info->weight);
    if (task.task_set) out += '(' + describe_tasks(*task.task_set) + ')';
  }
  return out;
}

Scenario prepared(const ClassList& classes, const ScenarioOptions& options = {}) {
  Result<Scenario> result = Scenario::prepare(classes, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : Scenario{};
}

// --- Selection ---------------------------------------------------------------------------------

TEST(ScenarioPrepare, AllClassesInRegistrationOrderWhenNoneSelected) {
  const Scenario scenario = prepared(forum::classes({"Site", "Api", "Admin"}));
  EXPECT_EQ(names_of(scenario), (std::vector<std::string>{"Site", "Api", "Admin"}));
}

TEST(ScenarioPrepare, SelectsClassesByNameOnce) {
  ScenarioOptions options;
  options.selected_classes = {"Api", "Site", "Api"};
  const Scenario scenario = prepared(forum::classes({"Site", "Api", "Admin"}), options);
  EXPECT_EQ(names_of(scenario), (std::vector<std::string>{"Api", "Site"}));
}

TEST(ScenarioPrepare, UnknownClassNamesAreAnErrorNamingThem) {
  ScenarioOptions options;
  options.selected_classes = {"Site", "Nope", "Missing"};
  const Result<Scenario> result = Scenario::prepare(forum::classes({"Site", "Api"}), options);
  ASSERT_FALSE(result.ok());
  const std::string& message = result.error().message;
  EXPECT_NE(message.find("Unknown User(s)"), std::string::npos) << message;
  EXPECT_NE(message.find("Nope"), std::string::npos) << message;
  EXPECT_NE(message.find("Missing"), std::string::npos) << message;
}

TEST(ScenarioPrepare, DropsClassesWithWeightZeroAndNoFixedCount) {
  auto zero = describe<forum::Api>("Zero");
  zero->weight = 0;
  auto fixed = describe<forum::Api>("FixedOnly");
  fixed->weight = 0;
  fixed->fixed_count = 2;
  const Scenario scenario = prepared({forum::classes({"Site"})[0], zero, fixed});
  EXPECT_EQ(names_of(scenario), (std::vector<std::string>{"Site", "FixedOnly"}));
}

TEST(ScenarioPrepare, NoClassLeftIsAnError) {
  auto zero = describe<forum::Api>("Zero");
  zero->weight = 0;
  EXPECT_FALSE(Scenario::prepare({zero}, {}).ok());
  EXPECT_FALSE(Scenario::prepare({}, {}).ok());
}

TEST(ScenarioPrepare, WeightsAsDeclaredOrAllOneWithEqualWeights) {
  const ClassList classes = forum::classes({"Site", "Api", "Shopper"});
  const Scenario plain = prepared(classes);
  EXPECT_EQ(plain.weight(0), 2);
  EXPECT_EQ(plain.weight(1), 1);
  EXPECT_EQ(plain.weight(2), 3);
  ScenarioOptions options;
  options.equal_weights = true;
  const Scenario equal = prepared(classes, options);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(equal.weight(i), 1) << i;
}

TEST(ScenarioPrepare, AClassWithoutTasksIsAnErrorNamingIt) {
  auto empty = describe<forum::Api>("Empty");
  empty->tasks.clear();
  const Result<Scenario> result = Scenario::prepare({empty}, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("Empty"), std::string::npos) << result.error().message;
}

TEST(ScenarioPrepare, TasksOfWeightZeroAreDropped) {
  auto api = describe<forum::Api>("Api");
  api->tasks[0].weight = 0;  // get
  const Scenario scenario = prepared({api});
  EXPECT_EQ(describe_tasks(*scenario.user_classes()[0]), "post:1");
}

// --- Tags --------------------------------------------------------------------------------------

struct TagCase {
  std::string name;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<std::string>> exclude_tags;
  std::string expected;  // Site's tasks after Locust's filter_tasks_by_tags
};

// Printed by gen_scenario_vectors.py.
const std::vector<TagCase> kTagCases = {
    {"NoFilter", std::nullopt, std::nullopt,
     "ForumPage:2(read_thread:100 create_thread:7 comment:11 untagged:1) "
     "AdminSet:1(Nested2:1(deep:1) "
     "ban:1 delete_post:2) browse:1 home:3"},
    {"TagsThread",
     {{"thread"}},
     std::nullopt,
     "ForumPage:2(read_thread:100 create_thread:7) browse:1"},
    {"TagsPost",
     {{"post"}},
     std::nullopt,
     "ForumPage:2(create_thread:7 comment:11) AdminSet:1(delete_post:2)"},
    {"ExcludePost",
     std::nullopt,
     {{"post"}},
     "ForumPage:2(read_thread:100 untagged:1) AdminSet:1(Nested2:1(deep:1) ban:1) browse:1 home:3"},
    {"TagsAdminFromClassTag",
     {{"admin"}},
     std::nullopt,
     "AdminSet:1(Nested2:1(deep:1) ban:1 delete_post:2)"},
    {"TagsDeepKeepsParentSetWithOnlyNested",
     {{"deep"}},
     std::nullopt,
     "AdminSet:1(Nested2:1(deep:1))"},
    {"TagsAndExcludeTogether",
     {{"thread", "admin"}},
     {{"post"}},
     "ForumPage:2(read_thread:100) AdminSet:1(Nested2:1(deep:1) ban:1) browse:1"},
    {"ExcludeAdminDropsWholeSet",
     std::nullopt,
     {{"admin"}},
     "ForumPage:2(read_thread:100 create_thread:7 comment:11 untagged:1) browse:1 home:3"},
    {"ExcludeThreadAndPost",
     std::nullopt,
     {{"thread", "post"}},
     "ForumPage:2(untagged:1) AdminSet:1(Nested2:1(deep:1) ban:1) home:3"},
};

// gtest prints a failing case by its name.
void PrintTo(const TagCase& c, std::ostream* os) {
  *os << c.name;
}

class TagFiltering : public testing::TestWithParam<TagCase> {};

TEST_P(TagFiltering, MatchesLocustsFilterTasksByTags) {
  const TagCase& c = GetParam();
  ScenarioOptions options;
  options.tags = c.tags;
  options.exclude_tags = c.exclude_tags;
  const Scenario scenario = prepared(forum::classes({"Site"}), options);
  ASSERT_EQ(scenario.user_classes().size(), 1u);
  EXPECT_EQ(describe_tasks(*scenario.user_classes()[0]), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Locust212, TagFiltering, testing::ValuesIn(kTagCases),
                         [](const testing::TestParamInfo<TagCase>& info) {
                           return info.param.name;
                         });

// Regression (fixed in c872928): `--tags` or `--exclude-tags` without values reach
// Scenario::prepare as empty lists (cli/options.hpp). Locust filters on parsed_options.tags only
// when the list is non-empty (env.py:202-213), so an empty list filters nothing; Hornet used to
// drop every task and fail with "No tasks defined".
TEST(ScenarioPrepare, EmptyTagListsFilterNothing) {
  ScenarioOptions options;
  options.tags = std::vector<std::string>{};
  options.exclude_tags = std::vector<std::string>{};
  const Result<Scenario> result = Scenario::prepare(forum::classes({"Site"}), options);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(describe_tasks(*result->user_classes()[0]), kTagCases[0].expected);
}

TEST(ScenarioPrepare, AClassLeftWithoutTasksByTagsIsAnErrorNamingIt) {
  ScenarioOptions options;
  options.tags = std::vector<std::string>{"nothing-has-this"};
  const Result<Scenario> result = Scenario::prepare(forum::classes({"Api", "Site"}), options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("Api"), std::string::npos) << result.error().message;
}

TEST(ScenarioPrepare, TagsFilterEveryClassIndependently) {
  // Api has no tag at all: with --exclude-tags it keeps everything.
  ScenarioOptions options;
  options.exclude_tags = std::vector<std::string>{"thread"};
  const Scenario scenario = prepared(forum::classes({"Site", "Api"}), options);
  EXPECT_EQ(describe_tasks(*scenario.user_classes()[1]), "get:2 post:1");
}

TEST(ScenarioPrepare, TagOnANestedTaskSetEntryTagsAllItsTasks) {
  // Hornet's spelling of @tag on a TaskSet class used in `tasks`: a tag on the task_set entry.
  auto site = describe<forum::Site>("Site");
  site->tasks[0].tags.push_back("forum");  // ForumPage
  ScenarioOptions options;
  options.tags = std::vector<std::string>{"forum"};
  const Scenario scenario = prepared({site}, options);
  EXPECT_EQ(describe_tasks(*scenario.user_classes()[0]),
            "ForumPage:2(read_thread:100 create_thread:7 comment:11 untagged:1)");
}

TEST(ScenarioPrepare, ClassTagOnAUserTagsAllItsTasks) {
  auto api = describe<forum::Api>("Api");
  api->tags.push_back("api");
  auto site = describe<forum::Site>("Site");
  site->tags.push_back("site");
  ScenarioOptions options;
  options.exclude_tags = std::vector<std::string>{"site"};
  const Result<Scenario> result = Scenario::prepare({api, site}, options);
  ASSERT_FALSE(result.ok());  // Site lost every task, nested ones included
  options.exclude_tags.reset();
  options.tags = std::vector<std::string>{"api"};
  const Result<Scenario> only_api = Scenario::prepare({api}, options);
  ASSERT_TRUE(only_api.ok());
  EXPECT_EQ(describe_tasks(*only_api->user_classes()[0]), "get:2 post:1");
}

// --- Picking tasks -----------------------------------------------------------------------------

TEST(PreparedClass, PickMapsTheUnitIntervalOntoCumulativeWeights) {
  // Site: ForumPage 2, AdminSet 1, browse 1, home 3 (total 7).
  const Scenario scenario = prepared(forum::classes({"Site"}));
  const PreparedClass& site = *scenario.user_classes()[0];
  EXPECT_EQ(site.cumulative_weights, (std::vector<long long>{2, 3, 4, 7}));
  EXPECT_EQ(site.pick(0.0), 0u);
  EXPECT_EQ(site.pick(1.999 / 7), 0u);
  EXPECT_EQ(site.pick(2.001 / 7), 1u);
  EXPECT_EQ(site.pick(3.001 / 7), 2u);
  EXPECT_EQ(site.pick(4.001 / 7), 3u);
  EXPECT_EQ(site.pick(std::nextafter(1.0, 0.0)), 3u);
}

TEST(PreparedClass, PickFrequenciesFollowTheWeights) {
  const Scenario scenario = prepared(forum::classes({"Site"}));
  const PreparedClass& site = *scenario.user_classes()[0];
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  constexpr int kDraws = 200'000;
  std::vector<int> counts(site.tasks.size(), 0);
  for (int i = 0; i < kDraws; ++i) ++counts.at(site.pick(uniform(rng)));
  const std::vector<double> weights = {2, 1, 1, 3};
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double p = weights[i] / 7.0;
    const double expected = p * kDraws;
    const double sigma = std::sqrt(kDraws * p * (1 - p));
    EXPECT_NEAR(counts[i], expected, 6 * sigma) << site.tasks[i].info->name;
  }
}

TEST(PreparedClass, NestedTaskSetsAreRandomUnlessSequential) {
  const Scenario scenario = prepared(forum::classes({"Site", "Shopper"}));
  const PreparedClass& site = *scenario.user_classes()[0];
  ASSERT_TRUE(site.tasks[0].task_set);
  EXPECT_FALSE(site.sequential());
  EXPECT_FALSE(site.tasks[0].task_set->sequential());
  EXPECT_EQ(site.tasks[0].task_set->name(), "ForumPage");
  EXPECT_FALSE(site.tasks[2].task_set);  // browse is a method
  const PreparedClass& shopper = *scenario.user_classes()[1];
  ASSERT_TRUE(shopper.tasks[0].task_set);
  EXPECT_TRUE(shopper.tasks[0].task_set->sequential());
}

TEST(PreparedClass, SequenceRepeatsEachTaskWeightTimesInDeclarationOrder) {
  // Checkout: cart (weight 2), pay (weight 1) -> cart, cart, pay.
  const Scenario scenario = prepared(forum::classes({"Shopper"}));
  const PreparedClass& checkout = *scenario.user_classes()[0]->tasks[0].task_set;
  EXPECT_EQ(checkout.sequence, (std::vector<std::size_t>{0, 0, 1}));
  EXPECT_EQ(checkout.tasks[0].info->name, "cart");
  EXPECT_EQ(checkout.tasks[1].info->name, "pay");
}

TEST(PreparedClass, SequenceSkipsTasksRemovedByTags) {
  auto shopper = describe<forum::Shopper>("Shopper");
  auto checkout = std::const_pointer_cast<detail::ClassInfo>(shopper->tasks[0].task_set);
  checkout->tasks[1].tags.push_back("payment");
  ScenarioOptions options;
  options.exclude_tags = std::vector<std::string>{"payment"};
  const Scenario scenario = prepared({shopper}, options);
  const PreparedClass& prepared_checkout = *scenario.user_classes()[0]->tasks[0].task_set;
  EXPECT_EQ(prepared_checkout.sequence, (std::vector<std::size_t>{0, 0}));
}

}  // namespace
}  // namespace hornet::core
