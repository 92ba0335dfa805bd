// core::UsersDispatcher against Locust 2.12's own UsersDispatcher: the tables below were printed
// by gen_dispatch_vectors.py (next to this file), which runs Locust's dispatcher on the same
// scenarios. Regenerate them with
//   timeout 60 /usr/bin/python3 tests/unit/core/gen_dispatch_vectors.py
#include "core/dispatch.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hornet::core {
namespace {

// "worker{Class:count,...} worker{...}", workers and classes sorted by name: the shape the
// generator prints Locust's {worker_id: {class_name: count}} in.
std::string format(const UsersOnWorkers& users) {
  std::string out;
  for (const auto& [worker, per_class] : users) {
    if (!out.empty()) out += ' ';
    out += worker + '{';
    bool first = true;
    for (const auto& [name, count] : per_class) {
      out += (first ? "" : ",") + name + ':' + std::to_string(count);
      first = false;
    }
    out += '}';
  }
  return out;
}

constexpr int kToTheEnd = -1;    // pull iterations until the cycle ends
constexpr double kUnknown = -1;  // Locust's wait after this iteration depends on a later event

struct Iteration {
  std::string users;
  double wait_after;  // Locust's sleep before the next iteration, in seconds
};

// One action on the dispatcher and the iterations it produces.
struct Step {
  enum class Kind { kDispatch, kNext, kAddWorker, kRemoveWorker };
  Kind kind = Kind::kNext;
  int target = 0;
  double rate = 0;
  int take = kToTheEnd;
  std::string worker;
  std::vector<Iteration> iterations;

  Step then(std::string users, double wait_after) && {
    iterations.push_back({std::move(users), wait_after});
    return std::move(*this);
  }
};

Step dispatch(int target, double rate, int take) {
  Step step;
  step.kind = Step::Kind::kDispatch;
  step.target = target;
  step.rate = rate;
  step.take = take;
  return step;
}
Step next_iterations(int take) {
  Step step;
  step.take = take;
  return step;
}
Step add_worker(std::string id) {
  Step step;
  step.kind = Step::Kind::kAddWorker;
  step.worker = std::move(id);
  return step;
}
Step remove_worker(std::string id) {
  Step step;
  step.kind = Step::Kind::kRemoveWorker;
  step.worker = std::move(id);
  return step;
}

struct DispatchScenario {
  std::string name;
  std::vector<std::string> workers;
  std::vector<DispatchClass> classes;
  std::vector<Step> steps;
};

// The last two scenarios hang Locust 2.12 (a fixed_count class already complete when a ramp-up
// follows a ramp-down); their expected values come from Locust's algorithm with that one loop
// fixed (FixedDispatcher in the generator, which matches Locust on every other scenario).
const std::vector<DispatchScenario>& scenarios() {
  static const std::vector<DispatchScenario> table = {
      {"ReferenceExampleWeights3To1",
       {"hostB_1", "hostA_2", "hostA_1"},
       {{"A", 3.0, 0}, {"B", 1.0, 0}},
       {
           dispatch(8, 3.0, kToTheEnd)
               .then("hostA_1{A:1,B:0} hostA_2{A:0,B:1} hostB_1{A:1,B:0}", 1.0)
               .then("hostA_1{A:2,B:0} hostA_2{A:1,B:1} hostB_1{A:2,B:0}", 1.0)
               .then("hostA_1{A:2,B:1} hostA_2{A:1,B:1} hostB_1{A:3,B:0}", 0.0),
           dispatch(8, 3.0, kToTheEnd)
               .then("hostA_1{A:2,B:1} hostA_2{A:1,B:1} hostB_1{A:3,B:0}", 0.0),
           dispatch(2, 2.5, kToTheEnd)
               .then("hostA_1{A:2,B:0} hostA_2{A:1,B:1} hostB_1{A:2,B:0}", 0.8)
               .then("hostA_1{A:2,B:0} hostA_2{A:0,B:1} hostB_1{A:1,B:0}", 0.8)
               .then("hostA_1{A:1,B:0} hostA_2{A:0,B:0} hostB_1{A:1,B:0}", 0.0),
           dispatch(0, 100.0, kToTheEnd)
               .then("hostA_1{A:0,B:0} hostA_2{A:0,B:0} hostB_1{A:0,B:0}", 0.0),
       }},
      {"RampUpAtSeveralRatesThenLifoRampDown",
       {"hostA_1", "hostA_2", "hostB_1"},
       {{"A", 5.0, 0}, {"B", 1.0, 0}, {"C", 2.0, 0}},
       {
           dispatch(10, 2.5, kToTheEnd)
               .then("hostA_1{A:1,B:0,C:0} hostA_2{A:0,B:0,C:0} hostB_1{A:0,B:0,C:1}", 0.8)
               .then("hostA_1{A:2,B:0,C:0} hostA_2{A:1,B:0,C:0} hostB_1{A:0,B:0,C:1}", 0.8)
               .then("hostA_1{A:2,B:0,C:0} hostA_2{A:2,B:0,C:0} hostB_1{A:0,B:1,C:1}", 0.8)
               .then("hostA_1{A:2,B:0,C:1} hostA_2{A:2,B:0,C:0} hostB_1{A:1,B:1,C:1}", 0.8)
               .then("hostA_1{A:2,B:0,C:2} hostA_2{A:3,B:0,C:0} hostB_1{A:1,B:1,C:1}", 0.0),
           dispatch(17, 0.5, kToTheEnd)
               .then("hostA_1{A:2,B:0,C:2} hostA_2{A:3,B:0,C:0} hostB_1{A:2,B:1,C:1}", 2.0)
               .then("hostA_1{A:2,B:0,C:2} hostA_2{A:4,B:0,C:0} hostB_1{A:2,B:1,C:1}", 2.0)
               .then("hostA_1{A:2,B:1,C:2} hostA_2{A:4,B:0,C:0} hostB_1{A:2,B:1,C:1}", 2.0)
               .then("hostA_1{A:2,B:1,C:2} hostA_2{A:4,B:0,C:0} hostB_1{A:3,B:1,C:1}", 2.0)
               .then("hostA_1{A:2,B:1,C:2} hostA_2{A:4,B:0,C:1} hostB_1{A:3,B:1,C:1}", 2.0)
               .then("hostA_1{A:3,B:1,C:2} hostA_2{A:4,B:0,C:1} hostB_1{A:3,B:1,C:1}", 2.0)
               .then("hostA_1{A:3,B:1,C:2} hostA_2{A:4,B:0,C:1} hostB_1{A:4,B:1,C:1}", 0.0),
           dispatch(30, 100.0, kToTheEnd)
               .then("hostA_1{A:7,B:1,C:2} hostA_2{A:7,B:1,C:2} hostB_1{A:5,B:2,C:3}", 0.0),
           dispatch(12, 7.0, kToTheEnd)
               .then("hostA_1{A:5,B:1,C:2} hostA_2{A:4,B:1,C:2} hostB_1{A:5,B:1,C:2}", 1.0)
               .then("hostA_1{A:3,B:1,C:2} hostA_2{A:4,B:0,C:1} hostB_1{A:3,B:1,C:1}", 1.0)
               .then("hostA_1{A:2,B:0,C:2} hostA_2{A:4,B:0,C:0} hostB_1{A:2,B:1,C:1}", 0.0),
           dispatch(5, 1.5, kToTheEnd)
               .then("hostA_1{A:2,B:0,C:2} hostA_2{A:3,B:0,C:0} hostB_1{A:2,B:1,C:1}",
                     0.6666666666666666)
               .then("hostA_1{A:2,B:0,C:2} hostA_2{A:3,B:0,C:0} hostB_1{A:1,B:1,C:1}",
                     0.6666666666666666)
               .then("hostA_1{A:2,B:0,C:1} hostA_2{A:3,B:0,C:0} hostB_1{A:1,B:1,C:1}",
                     0.6666666666666666)
               .then("hostA_1{A:2,B:0,C:1} hostA_2{A:2,B:0,C:0} hostB_1{A:1,B:1,C:1}",
                     0.6666666666666666)
               .then("hostA_1{A:2,B:0,C:1} hostA_2{A:2,B:0,C:0} hostB_1{A:0,B:1,C:1}",
                     0.6666666666666666)
               .then("hostA_1{A:2,B:0,C:0} hostA_2{A:2,B:0,C:0} hostB_1{A:0,B:1,C:1}",
                     0.6666666666666666)
               .then("hostA_1{A:2,B:0,C:0} hostA_2{A:1,B:0,C:0} hostB_1{A:0,B:1,C:1}", 0.0),
       }},
      {"FixedCountsMixedWithWeights",
       {"a_1", "b_1"},
       {{"F1", 1.0, 2}, {"F2", 1.0, 1}, {"W1", 3.0, 0}, {"W2", 1.0, 0}},
       {
           dispatch(9, 4.0, kToTheEnd)
               .then("a_1{F1:2,F2:0,W1:0,W2:0} b_1{F1:0,F2:1,W1:1,W2:0}", 1.0)
               .then("a_1{F1:2,F2:0,W1:2,W2:0} b_1{F1:0,F2:1,W1:2,W2:1}", 1.0)
               .then("a_1{F1:2,F2:0,W1:3,W2:0} b_1{F1:0,F2:1,W1:2,W2:1}", 0.0),
           dispatch(1, 10.0, kToTheEnd)
               .then("a_1{F1:1,F2:0,W1:0,W2:0} b_1{F1:0,F2:0,W1:0,W2:0}", 0.0),
           dispatch(12, 3.0, kToTheEnd)
               .then("a_1{F1:1,F2:1,W1:0,W2:0} b_1{F1:1,F2:0,W1:0,W2:1}", 1.0)
               .then("a_1{F1:1,F2:1,W1:2,W2:0} b_1{F1:1,F2:0,W1:1,W2:1}", 1.0)
               .then("a_1{F1:1,F2:1,W1:3,W2:0} b_1{F1:1,F2:0,W1:2,W2:2}", 1.0)
               .then("a_1{F1:1,F2:1,W1:4,W2:0} b_1{F1:1,F2:0,W1:2,W2:3}", 0.0),
           dispatch(0, 5.0, kToTheEnd)
               .then("a_1{F1:1,F2:1,W1:2,W2:0} b_1{F1:1,F2:0,W1:1,W2:1}", 1.0)
               .then("a_1{F1:1,F2:0,W1:0,W2:0} b_1{F1:1,F2:0,W1:0,W2:0}", 1.0)
               .then("a_1{F1:0,F2:0,W1:0,W2:0} b_1{F1:0,F2:0,W1:0,W2:0}", 0.0),
           dispatch(2, 1.0, kToTheEnd)
               .then("a_1{F1:1,F2:0,W1:0,W2:0} b_1{F1:0,F2:0,W1:0,W2:0}", 1.0)
               .then("a_1{F1:1,F2:0,W1:0,W2:0} b_1{F1:1,F2:0,W1:0,W2:0}", 0.0),
       }},
      {"OnlyFixedCountsStopAtTheirSum",
       {"a_1", "b_1"},
       {{"F1", 1.0, 2}, {"F2", 1.0, 3}},
       {
           dispatch(10, 2.0, kToTheEnd)
               .then("a_1{F1:0,F2:1} b_1{F1:1,F2:0}", 1.0)
               .then("a_1{F1:0,F2:2} b_1{F1:2,F2:0}", 1.0)
               .then("a_1{F1:0,F2:3} b_1{F1:2,F2:0}", 1.0),
           dispatch(10, 2.0, kToTheEnd).then("a_1{F1:0,F2:3} b_1{F1:2,F2:0}", 1.0),
           dispatch(3, 1.0, kToTheEnd)
               .then("a_1{F1:0,F2:2} b_1{F1:2,F2:0}", 1.0)
               .then("a_1{F1:0,F2:2} b_1{F1:1,F2:0}", 0.0),
           dispatch(10, 5.0, kToTheEnd).then("a_1{F1:1,F2:2} b_1{F1:1,F2:1}", 1.0),
       }},
      {"FloatWeightsNormalisedToMinimumTwo",
       {"a_1", "a_2"},
       {{"A", 1.5, 0}, {"B", 2.0, 0}, {"C", 2.4, 0}},
       {
           dispatch(13, 5.0, kToTheEnd)
               .then("a_1{A:1,B:1,C:1} a_2{A:0,B:1,C:1}", 1.0)
               .then("a_1{A:1,B:3,C:1} a_2{A:1,B:1,C:3}", 1.0)
               .then("a_1{A:2,B:3,C:2} a_2{A:1,B:2,C:3}", 0.0),
           dispatch(20, 20.0, kToTheEnd).then("a_1{A:3,B:5,C:2} a_2{A:2,B:3,C:5}", 0.0),
       }},
      {"WeightsRoundedHalfToEven",
       {"local_0000"},
       {{"A", 4.0, 0}, {"B", 5.0, 0}, {"C", 7.0, 0}},
       {
           dispatch(16, 16.0, kToTheEnd).then("local_0000{A:4,B:4,C:8}", 0.0),
       }},
      {"WorkersAddedAndRemovedMidCycle",
       {"h1_1", "h2_1"},
       {{"A", 2.0, 0}, {"B", 1.0, 0}, {"F", 1.0, 1}},
       {
           dispatch(10, 3.0, 2)
               .then("h1_1{A:0,B:1,F:1} h2_1{A:1,B:0,F:0}", 1.0)
               .then("h1_1{A:1,B:1,F:1} h2_1{A:2,B:1,F:0}", kUnknown),
           add_worker("h1_2"),
           next_iterations(2)
               .then("h1_1{A:1,B:0,F:1} h1_2{A:0,B:2,F:0} h2_1{A:2,B:0,F:0}", 1.0)
               .then("h1_1{A:2,B:0,F:1} h1_2{A:0,B:3,F:0} h2_1{A:3,B:0,F:0}", kUnknown),
           remove_worker("h2_1"),
           next_iterations(kToTheEnd)
               .then("h1_1{A:2,B:2,F:1} h1_2{A:3,B:1,F:0}", 1.0)
               .then("h1_1{A:2,B:2,F:1} h1_2{A:4,B:1,F:0}", 0.0),
           add_worker("h3_1"),
           dispatch(10, 3.0, kToTheEnd)
               .then("h1_1{A:3,B:0,F:1} h1_2{A:0,B:3,F:0} h3_1{A:3,B:0,F:0}", 0.0),
           dispatch(4, 2.0, kToTheEnd)
               .then("h1_1{A:2,B:0,F:1} h1_2{A:0,B:2,F:0} h3_1{A:3,B:0,F:0}", 1.0)
               .then("h1_1{A:1,B:0,F:1} h1_2{A:0,B:2,F:0} h3_1{A:2,B:0,F:0}", 1.0)
               .then("h1_1{A:1,B:0,F:1} h1_2{A:0,B:1,F:0} h3_1{A:1,B:0,F:0}", 0.0),
           remove_worker("h1_1"),
           dispatch(4, 2.0, kToTheEnd).then("h1_2{A:2,B:0,F:0} h3_1{A:0,B:1,F:1}", 0.0),
           dispatch(7, 2.0, kToTheEnd)
               .then("h1_2{A:2,B:1,F:0} h3_1{A:1,B:1,F:1}", 1.0)
               .then("h1_2{A:2,B:1,F:0} h3_1{A:2,B:1,F:1}", 0.0),
           add_worker("h4_1"),
           dispatch(9, 2.0, kToTheEnd)
               .then("h1_2{A:2,B:0,F:1} h3_1{A:2,B:0,F:0} h4_1{A:0,B:2,F:0}", 0.0)
               .then("h1_2{A:2,B:0,F:1} h3_1{A:3,B:0,F:0} h4_1{A:0,B:3,F:0}", 0.0),
       }},
      {"CompleteFixedClassThenRampDownAndUp",
       {"a_1", "b_1"},
       {{"F", 1.0, 1}, {"W", 1.0, 0}},
       {
           dispatch(5, 10.0, kToTheEnd).then("a_1{F:1,W:2} b_1{F:0,W:2}", 0.0),
           dispatch(3, 10.0, kToTheEnd).then("a_1{F:1,W:1} b_1{F:0,W:1}", 0.0),
           dispatch(5, 10.0, kToTheEnd).then("a_1{F:1,W:2} b_1{F:0,W:2}", 0.0),
       }},
      {"OneFixedClassCompleteOtherNot",
       {"a_1", "b_1", "c_1"},
       {{"F1", 1.0, 1}, {"F2", 1.0, 2}, {"W", 1.0, 0}},
       {
           dispatch(6, 10.0, kToTheEnd)
               .then("a_1{F1:0,F2:1,W:1} b_1{F1:1,F2:0,W:1} c_1{F1:0,F2:1,W:1}", 0.0),
           dispatch(2, 10.0, kToTheEnd)
               .then("a_1{F1:0,F2:1,W:0} b_1{F1:1,F2:0,W:0} c_1{F1:0,F2:0,W:0}", 0.0),
           dispatch(6, 2.0, kToTheEnd)
               .then("a_1{F1:0,F2:2,W:0} b_1{F1:1,F2:0,W:1} c_1{F1:0,F2:0,W:0}", 1.0)
               .then("a_1{F1:0,F2:2,W:1} b_1{F1:1,F2:0,W:1} c_1{F1:0,F2:0,W:1}", 0.0),
       }},
  };
  return table;
}

// What Hornet's dispatcher produced for one step.
struct Observed {
  std::vector<std::string> users;
  std::vector<double> waits;
};

std::vector<Observed> run(const DispatchScenario& scenario) {
  UsersDispatcher dispatcher(scenario.workers, scenario.classes);
  std::vector<Observed> observed;
  for (const Step& step : scenario.steps) {
    Observed& out = observed.emplace_back();
    switch (step.kind) {
      case Step::Kind::kAddWorker:
        dispatcher.add_worker(step.worker);
        continue;
      case Step::Kind::kRemoveWorker:
        dispatcher.remove_worker(step.worker);
        continue;
      case Step::Kind::kDispatch:
        dispatcher.new_dispatch(step.target, step.rate);
        break;
      case Step::Kind::kNext:
        break;
    }
    // A cap instead of an endless loop if a cycle never ends.
    const int limit = step.take == kToTheEnd ? 1000 : step.take;
    while (static_cast<int>(out.users.size()) < limit) {
      std::optional<UsersOnWorkers> users = dispatcher.next();
      if (!users) break;
      out.users.push_back(format(*users));
      out.waits.push_back(dispatcher.wait_before_next());
    }
    if (step.take == kToTheEnd) {
      EXPECT_FALSE(dispatcher.dispatch_in_progress()) << scenario.name;
    }
  }
  return observed;
}

// gtest prints a failing case by its name.
void PrintTo(const DispatchScenario& c, std::ostream* os) {
  *os << c.name;
}

class LocustDispatchVectors : public testing::TestWithParam<DispatchScenario> {};

TEST_P(LocustDispatchVectors, IterationsMatchLocust) {
  const DispatchScenario& scenario = GetParam();
  const std::vector<Observed> observed = run(scenario);
  ASSERT_EQ(observed.size(), scenario.steps.size());
  for (std::size_t s = 0; s < scenario.steps.size(); ++s) {
    std::vector<std::string> expected;
    for (const Iteration& it : scenario.steps[s].iterations) expected.push_back(it.users);
    EXPECT_EQ(observed[s].users, expected) << "step " << s;
  }
}

TEST_P(LocustDispatchVectors, WaitBeforeNextMatchesLocustsSleeps) {
  const DispatchScenario& scenario = GetParam();
  const std::vector<Observed> observed = run(scenario);
  ASSERT_EQ(observed.size(), scenario.steps.size());
  for (std::size_t s = 0; s < scenario.steps.size(); ++s) {
    const auto& expected = scenario.steps[s].iterations;
    ASSERT_EQ(observed[s].waits.size(), expected.size()) << "step " << s;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (expected[i].wait_after == kUnknown) continue;
      EXPECT_DOUBLE_EQ(observed[s].waits[i], expected[i].wait_after)
          << "step " << s << ", iteration " << i << ": " << expected[i].users;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Locust212, LocustDispatchVectors, testing::ValuesIn(scenarios()),
                         [](const testing::TestParamInfo<DispatchScenario>& info) {
                           return info.param.name;
                         });

// --- roundrobin.smooth ------------------------------------------------------------------------

struct SmoothVector {
  std::vector<int> weights;
  std::vector<int> picks;  // roundrobin.smooth's first picks, as item indices
};

TEST(SmoothWeightedSequence, MatchesRoundrobinSmooth) {
  // Printed by gen_dispatch_vectors.py from roundrobin 0.0.4's smooth().
  const std::vector<SmoothVector> vectors = {
      {{3, 1}, {0, 0, 1, 0, 0, 0, 1, 0}},
      {{5, 1}, {0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0}},
      {{2, 5, 6}, {2, 1, 0, 2, 1, 2, 1, 2, 1, 2, 0, 1, 2}},
      {{1, 1, 1}, {0, 1, 2, 0, 1, 2}},
      {{4, 2, 3, 1}, {0, 2, 1, 0, 2, 3, 0, 1, 2, 0, 0, 2, 1, 0, 2, 3, 0, 1, 2, 0}},
      {{7}, {0, 0, 0}},
      {{2, 4}, {1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1}},
      {{6, 6, 1}, {0, 1, 0, 1, 2, 0, 1, 0, 1, 0, 1, 0, 1}},
  };
  for (const auto& v : vectors) {
    EXPECT_EQ(smooth_weighted_sequence(v.weights, static_cast<int>(v.picks.size())), v.picks)
        << "weights " << testing::PrintToString(v.weights);
  }
}

TEST(SmoothWeightedSequence, EmptyWeightsOrLengthGiveNothing) {
  EXPECT_TRUE(smooth_weighted_sequence({}, 5).empty());
  EXPECT_TRUE(smooth_weighted_sequence({3, 1}, 0).empty());
}

// --- Iterations and waits -----------------------------------------------------------------------

TEST(UsersDispatcher, OrdersWorkersByIndexWithinHostThenId) {
  UsersDispatcher dispatcher({"hostB_1", "hostA_2", "hostA_1"}, {{"A", 3, 0}, {"B", 1, 0}});
  EXPECT_EQ(dispatcher.worker_order(), (std::vector<std::string>{"hostA_1", "hostB_1", "hostA_2"}));
}

TEST(UsersDispatcher, ReferenceExampleGivesTheDocumentedEightUserDistribution) {
  // Reference §3.7, verified against Locust: 8 users of A:3, B:1 on hostB_1, hostA_2, hostA_1.
  UsersDispatcher dispatcher({"hostB_1", "hostA_2", "hostA_1"}, {{"A", 3, 0}, {"B", 1, 0}});
  dispatcher.new_dispatch(8, 100);
  const std::optional<UsersOnWorkers> users = dispatcher.next();
  ASSERT_TRUE(users.has_value());
  const UsersOnWorkers expected = {{"hostA_1", {{"A", 2}, {"B", 1}}},
                                   {"hostB_1", {{"A", 3}, {"B", 0}}},
                                   {"hostA_2", {{"A", 1}, {"B", 1}}}};
  EXPECT_EQ(*users, expected);
  EXPECT_FALSE(dispatcher.next().has_value());
}

TEST(UsersDispatcher, UsersPerIterationIsTheFlooredRateButAtLeastOne) {
  UsersDispatcher dispatcher({"local_0000"}, {{"A", 1, 0}});
  const std::vector<std::pair<double, int>> cases = {{0.1, 1}, {0.5, 1}, {1, 1},     {1.5, 1},
                                                     {2.5, 2}, {10, 10}, {10.9, 10}, {250, 250}};
  for (const auto& [rate, per_iteration] : cases) {
    dispatcher.new_dispatch(1000, rate);
    EXPECT_EQ(dispatcher.users_per_iteration(), per_iteration) << "rate " << rate;
  }
}

TEST(UsersDispatcher, WaitBetweenIterationsIsUsersPerIterationOverRate) {
  const std::vector<std::pair<double, double>> cases = {
      {0.5, 2.0}, {1.5, 1 / 1.5}, {2.5, 0.8}, {10, 1.0}, {10.9, 10 / 10.9}};
  for (const auto& [rate, wait] : cases) {
    UsersDispatcher dispatcher({"local_0000"}, {{"A", 1, 0}});
    dispatcher.new_dispatch(1000, rate);
    ASSERT_TRUE(dispatcher.next().has_value());
    EXPECT_DOUBLE_EQ(dispatcher.wait_before_next(), wait) << "rate " << rate;
  }
}

TEST(UsersDispatcher, IterationsAddUsersPerIterationAndNoWaitAfterTheLast) {
  UsersDispatcher dispatcher({"local_0000", "local_0001"}, {{"A", 1, 0}});
  dispatcher.new_dispatch(7, 3);
  std::vector<int> totals;
  std::vector<double> waits;
  while (auto users = dispatcher.next()) {
    int total = 0;
    for (const auto& [worker, per_class] : *users) total += per_class.at("A");
    totals.push_back(total);
    waits.push_back(dispatcher.wait_before_next());
    EXPECT_EQ(dispatcher.current_user_count(), total);
  }
  EXPECT_EQ(totals, (std::vector<int>{3, 6, 7}));
  EXPECT_EQ(waits, (std::vector<double>{1.0, 1.0, 0.0}));
  EXPECT_EQ(dispatcher.target_user_count(), 7);
}

TEST(UsersDispatcher, DispatchInProgressUntilTheCycleEnds) {
  UsersDispatcher dispatcher({"local_0000"}, {{"A", 1, 0}});
  EXPECT_FALSE(dispatcher.dispatch_in_progress());
  dispatcher.new_dispatch(2, 1);
  ASSERT_TRUE(dispatcher.next().has_value());
  EXPECT_TRUE(dispatcher.dispatch_in_progress());
  ASSERT_TRUE(dispatcher.next().has_value());
  EXPECT_FALSE(dispatcher.next().has_value());
  EXPECT_FALSE(dispatcher.dispatch_in_progress());
}

TEST(UsersDispatcher, RejectsAnEmptyClassList) {
  EXPECT_THROW(UsersDispatcher({"local_0000"}, {}), std::invalid_argument);
}

// BUG (dispatch.cpp:129, UsersDispatcher::wait_before_next): after the rebalance snapshot that
// opens a cycle (a worker joined or left between cycles), Locust goes straight on to the first
// ramp-up iteration: that yield is outside its wait context (dispatch.py:137-142). Hornet's
// wait_before_next() only compares the user count with the target, so it asks for a full spawn
// interval there, and every ramp after a worker change starts one interval late.
TEST(UsersDispatcher, NoWaitAfterTheRebalanceThatStartsACycle) {
  UsersDispatcher dispatcher({"a_1"}, {{"A", 1, 0}});
  dispatcher.new_dispatch(2, 1);
  while (dispatcher.next()) {
  }
  dispatcher.add_worker("b_1");
  dispatcher.new_dispatch(4, 1);
  const std::optional<UsersOnWorkers> rebalanced = dispatcher.next();
  ASSERT_TRUE(rebalanced.has_value());
  EXPECT_EQ(format(*rebalanced), "a_1{A:1} b_1{A:1}");
  EXPECT_EQ(dispatcher.wait_before_next(), 0.0);  // Locust: no sleep after this yield
  ASSERT_TRUE(dispatcher.next().has_value());     // 3 users
  EXPECT_EQ(dispatcher.wait_before_next(), 1.0);
}

// --- Where Hornet differs from Locust on purpose -------------------------------------------------

int total_of(const UsersOnWorkers& users, const std::string& name) {
  int total = 0;
  for (const auto& [worker, per_class] : users) total += per_class.at(name);
  return total;
}

std::optional<UsersOnWorkers> last_iteration(UsersDispatcher& dispatcher) {
  std::optional<UsersOnWorkers> last;
  for (int i = 0; i < 1000; ++i) {
    std::optional<UsersOnWorkers> users = dispatcher.next();
    if (!users) break;
    last = std::move(users);
  }
  return last;
}

TEST(UsersDispatcher, RampUpAfterRampDownCompletesWhenAFixedClassIsAlreadyComplete) {
  // Locust 2.12 loops forever here (the fixed class F is complete and never marked spawned).
  UsersDispatcher dispatcher({"local_0000"}, {{"F", 1, 1}, {"W", 1, 0}});
  dispatcher.new_dispatch(5, 10);
  ASSERT_TRUE(last_iteration(dispatcher).has_value());
  dispatcher.new_dispatch(3, 10);
  ASSERT_TRUE(last_iteration(dispatcher).has_value());
  dispatcher.new_dispatch(6, 10);
  const std::optional<UsersOnWorkers> users = last_iteration(dispatcher);
  ASSERT_TRUE(users.has_value());
  EXPECT_EQ(total_of(*users, "F"), 1);
  EXPECT_EQ(total_of(*users, "W"), 5);
  EXPECT_FALSE(dispatcher.dispatch_in_progress());
}

TEST(UsersDispatcher, RemovingTheLastWorkerThenAddingOneStartsAgainFromZero) {
  // Locust ignores the removal of its last worker; Hornet forgets the users it had.
  UsersDispatcher dispatcher({"a_1"}, {{"F", 1, 1}, {"W", 1, 0}});
  dispatcher.new_dispatch(4, 10);
  ASSERT_TRUE(last_iteration(dispatcher).has_value());
  dispatcher.remove_worker("a_1");
  EXPECT_EQ(dispatcher.current_user_count(), 0);
  dispatcher.add_worker("b_1");
  dispatcher.new_dispatch(3, 10);
  const std::optional<UsersOnWorkers> users = last_iteration(dispatcher);
  ASSERT_TRUE(users.has_value());
  const UsersOnWorkers expected = {{"b_1", {{"F", 1}, {"W", 2}}}};
  EXPECT_EQ(*users, expected);
}

// Locust 2.12's new_dispatch(..., user_classes) (a load shape's third item), checked against
// Debian's Locust 2.12.1: new users come only from the named classes; others already running
// stay until a ramp-down removes them, newest first.
TEST(UsersDispatcher, UserClassesRestrictWhichClassesNewUsersAreOf) {
  UsersDispatcher dispatcher({"local_0000"}, {{"A", 3, 0}, {"B", 1, 0}});
  auto last = [&] {
    std::optional<UsersOnWorkers> targets, next;
    while ((next = dispatcher.next())) targets = next;
    return targets.value_or(UsersOnWorkers{});
  };
  dispatcher.new_dispatch(4, 100, {"B"});
  EXPECT_EQ(last(), (UsersOnWorkers{{"local_0000", {{"A", 0}, {"B", 4}}}}));
  dispatcher.new_dispatch(8, 100, {"A", "B"});
  EXPECT_EQ(last(), (UsersOnWorkers{{"local_0000", {{"A", 3}, {"B", 5}}}}));
  dispatcher.new_dispatch(2, 100);  // empty: every class
  EXPECT_EQ(last(), (UsersOnWorkers{{"local_0000", {{"A", 0}, {"B", 2}}}}));
}

TEST(UsersDispatcher, UnknownUserClassesSpawnNothing) {
  UsersDispatcher dispatcher({"local_0000"}, {{"A", 1, 0}});
  dispatcher.new_dispatch(3, 100, {"Nope"});
  std::optional<UsersOnWorkers> targets, next;
  while ((next = dispatcher.next())) targets = next;
  ASSERT_TRUE(targets.has_value());
  EXPECT_EQ(*targets, (UsersOnWorkers{{"local_0000", {{"A", 0}}}}));
}

}  // namespace
}  // namespace hornet::core
