// core::LocalRunner with real worker threads, no network: states, user counts, spawn pacing, ramp-down
// order and Locust's --stop-timeout semantics (reference §3.7, §4.2 "Stopping users").
#include "core/local_runner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "runner_harness.hpp"

namespace hornet::core {
namespace {

using harness::Clock;
using harness::EngineTest;
using harness::events;
using harness::RunnerHarness;
using harness::seconds_between;
using harness::TrackedUser;

// A user that mostly waits, and says when it starts and stops.
class Idle : public TrackedUser {
 public:
  Task<> on_start() override {
    note("on_start");
    co_return;
  }
  Task<> on_stop() override {
    note("on_stop");
    co_return;
  }
  Task<> nap() {
    note("task");
    co_return;
  }
  static void define(Spec<Idle> spec) { spec.wait_time(constant(10)).task("nap", &Idle::nap); }
};

class Heavy : public Idle {
 public:
  static void define(Spec<Heavy> spec) {
    Idle::define(spec);
    spec.weight(3);
  }
};

class Light : public Idle {
 public:
  static void define(Spec<Light> spec) { Idle::define(spec); }
};

// --- States and counts -------------------------------------------------------------------------

TEST(RunnerStateNames, AreLocusts) {
  EXPECT_STREQ(to_string(RunnerState::kReady), "ready");
  EXPECT_STREQ(to_string(RunnerState::kSpawning), "spawning");
  EXPECT_STREQ(to_string(RunnerState::kRunning), "running");
  EXPECT_STREQ(to_string(RunnerState::kStopping), "stopping");
  EXPECT_STREQ(to_string(RunnerState::kStopped), "stopped");
}

TEST_F(EngineTest, StatesGoReadySpawningRunningStoppingStopped) {
  RunnerHarness h({describe<Idle>("Idle")}, {.threads = 2});
  EXPECT_EQ(h.runner().state(), RunnerState::kReady);
  ASSERT_TRUE(h.start_and_wait_running(4, 100));
  ASSERT_TRUE(h.stop_and_wait());
  EXPECT_EQ(h.states(), (std::vector<RunnerState>{RunnerState::kSpawning, RunnerState::kRunning,
                                                  RunnerState::kStopping, RunnerState::kStopped}));
  // A new test from stopped goes through the same states again.
  ASSERT_TRUE(h.start_and_wait_running(2, 100));
  EXPECT_EQ(h.states().size(), 6u);
  EXPECT_EQ(h.states()[4], RunnerState::kSpawning);
  EXPECT_EQ(h.states()[5], RunnerState::kRunning);
  EXPECT_EQ(h.runner().user_count(), 2);
}

TEST_F(EngineTest, UserCountDuringSpawningRunningAndAfterStop) {
  RunnerHarness h({describe<Idle>("Idle")}, {.threads = 2});
  // Rate 3: iterations of 3 users, 1 s apart.
  h.runner().start(6, 3);
  EXPECT_EQ(h.runner().state(), RunnerState::kSpawning);
  EXPECT_EQ(h.runner().user_count(), 3);
  EXPECT_EQ(h.runner().target_user_count(), 6);
  ASSERT_TRUE(h.wait_for_state(RunnerState::kRunning));
  EXPECT_EQ(h.runner().user_count(), 6);
  ASSERT_TRUE(h.collect());  // the workers' own counts agree
  EXPECT_EQ(h.runner().user_count(), 6);
  EXPECT_EQ(h.runner().user_classes_count(), (std::map<std::string, int>{{"Idle", 6}}));
  EXPECT_EQ(events().count("on_start"), 6);
  ASSERT_TRUE(h.stop_and_wait());
  EXPECT_EQ(h.runner().user_count(), 0);
  EXPECT_EQ(events().count("on_stop"), 6);
}

TEST_F(EngineTest, StopDuringSpawningCancelsTheRemainingIterations) {
  RunnerHarness h({describe<Idle>("Idle")}, {.threads = 2});
  h.runner().start(10, 1);  // one user per second
  ASSERT_TRUE(h.run_until([] { return events().count("on_start") == 1; }, 5));
  ASSERT_TRUE(h.stop_and_wait());
  h.run_for(1.3);  // the next iteration was due after 1 s
  EXPECT_EQ(events().count("on_start"), 1);
  EXPECT_EQ(h.runner().user_count(), 0);
  EXPECT_EQ(h.states(), (std::vector<RunnerState>{RunnerState::kSpawning, RunnerState::kStopping,
                                                  RunnerState::kStopped}));
}

TEST_F(EngineTest, UserClassWeightsGiveTheDispatchersCounts) {
  RunnerHarness h({describe<Heavy>("Heavy"), describe<Light>("Light")}, {.threads = 2});
  ASSERT_TRUE(h.start_and_wait_running(8, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("on_start") == 8; }, 10));
  ASSERT_TRUE(h.collect());
  EXPECT_EQ(h.runner().user_classes_count(),
            (std::map<std::string, int>{{"Heavy", 6}, {"Light", 2}}));
  EXPECT_EQ(h.runner().user_count(), 8);
}

TEST_F(EngineTest, UserClassesLimitARampToTheNamedClasses) {
  // A load shape's stage with user classes: only those are spawned.
  RunnerHarness h({describe<Heavy>("Heavy"), describe<Light>("Light")}, {.threads = 2});
  h.runner().start(4, 100, {"Light"});
  ASSERT_TRUE(h.wait_for_state(RunnerState::kRunning));
  ASSERT_TRUE(h.run_until([] { return events().count("on_start") == 4; }, 10));
  ASSERT_TRUE(h.collect());
  EXPECT_EQ(h.runner().user_classes_count(),
            (std::map<std::string, int>{{"Heavy", 0}, {"Light", 4}}));
}

TEST_F(EngineTest, SpawnRateGivesLocustsIterationsOfUsersPerIteration) {
  // Rate 2.5: max(1, floor(2.5)) = 2 users per iteration, every 2 / 2.5 = 0.8 s.
  RunnerHarness h({describe<Idle>("Idle")}, {.threads = 2});
  const auto started = Clock::now();
  ASSERT_TRUE(h.start_and_wait_running(5, 2.5));
  const double spawning = seconds_between(started, Clock::now());
  ASSERT_TRUE(h.run_until([] { return events().count("on_start") == 5; }, 5));
  // Group the users' starts into bursts separated by more than half an interval.
  std::vector<int> bursts;
  const auto starts = events().named("on_start");
  for (std::size_t i = 0; i < starts.size(); ++i) {
    if (i == 0 || seconds_between(starts[i - 1].at, starts[i].at) > 0.4) bursts.push_back(0);
    ++bursts.back();
  }
  EXPECT_EQ(bursts, (std::vector<int>{2, 2, 1}));
  EXPECT_GE(spawning, 2 * 0.8 - 0.05);  // two waits, never shorter
  EXPECT_LT(spawning, 8.0);             // and not stuck
}

TEST_F(EngineTest, RampDownStopsTheNewestUsersFirst) {
  RunnerHarness h({describe<Idle>("Idle")}, {.threads = 1});
  ASSERT_TRUE(h.start_and_wait_running(5, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("task") == 5; }, 10));
  std::vector<int> ids = events().users_with("on_start");
  ASSERT_EQ(ids.size(), 5u);
  std::sort(ids.begin(), ids.end());  // ids follow construction, i.e. spawn, order
  h.runner().start(3, 100);
  ASSERT_TRUE(h.run_until([] { return events().count("on_stop") == 2; }, 10));
  std::vector<int> stopped = events().users_with("on_stop");
  std::sort(stopped.begin(), stopped.end());
  EXPECT_EQ(stopped, (std::vector<int>{ids[3], ids[4]}));
  ASSERT_TRUE(h.wait_for_state(RunnerState::kRunning));
  ASSERT_TRUE(h.collect());
  EXPECT_EQ(h.runner().user_count(), 3);
}

// --- Stopping: --stop-timeout --------------------------------------------------------------------

// A task of `kTaskSeconds`, then no wait: the user is almost always inside its task.
template <int kTaskMillis>
class Busy : public TrackedUser {
 public:
  Task<> on_stop() override {
    note("on_stop");
    co_return;
  }
  Task<> work() {
    note("begin");
    co_await sleep(kTaskMillis / 1000.0);
    note("end");
  }
  static void define(Spec<Busy> spec) { spec.task("work", &Busy::work); }
};

RunnerSettings with_stop_timeout(double seconds, int threads = 1) {
  RunnerSettings settings;
  settings.threads = threads;
  settings.engine.stop_timeout = seconds;
  return settings;
}

TEST_F(EngineTest, StopTimeoutLetsARunningTaskFinish) {
  RunnerHarness h({describe<Busy<400>>("Busy")}, with_stop_timeout(3));
  ASSERT_TRUE(h.start_and_wait_running(1, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("begin") == 1; }, 10));
  ASSERT_TRUE(h.stop_and_wait());  // asked within a few ms of "begin", 0.4 s before "end"
  // The task it was running finished, no new task started, then on_stop ran.
  const std::vector<std::string> seen = events().of(events().users_with("begin").at(0));
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(seen.end() - 3, seen.end()),
            (std::vector<std::string>{"begin", "end", "on_stop"}));
  EXPECT_EQ(events().count("begin"), events().count("end"));
}

TEST_F(EngineTest, WithoutStopTimeoutARunningTaskIsStoppedAtOnce) {
  RunnerHarness h({describe<Busy<5000>>("Busy")}, with_stop_timeout(0));
  ASSERT_TRUE(h.start_and_wait_running(1, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("begin") == 1; }, 10));
  ASSERT_TRUE(h.stop_and_wait(3));  // well before the task's 5 s
  EXPECT_EQ(events().of(events().users_with("begin").at(0)),
            (std::vector<std::string>{"begin", "on_stop"}));
}

TEST_F(EngineTest, UserStillRunningAfterTheStopTimeoutIsStopped) {
  RunnerHarness h({describe<Busy<5000>>("Busy")}, with_stop_timeout(0.5));
  ASSERT_TRUE(h.start_and_wait_running(1, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("begin") == 1; }, 10));
  const auto stop_called = Clock::now();
  ASSERT_TRUE(h.stop_and_wait(4));                                    // before the task's 5 s
  EXPECT_GE(seconds_between(stop_called, Clock::now()), 0.5 - 0.05);  // it had its 0.5 s
  EXPECT_EQ(events().of(events().users_with("begin").at(0)),
            (std::vector<std::string>{"begin", "on_stop"}));
}

class LongWaiter : public TrackedUser {
 public:
  Task<> on_stop() override {
    note("on_stop");
    co_return;
  }
  Task<> work() {
    note("task");
    co_return;
  }
  static void define(Spec<LongWaiter> spec) {
    spec.wait_time(constant(10)).task("work", &LongWaiter::work);
  }
};

TEST_F(EngineTest, WaitingUserIsStoppedAtOnceDespiteStopTimeout) {
  RunnerHarness h({describe<LongWaiter>("LongWaiter")}, with_stop_timeout(5));
  ASSERT_TRUE(h.start_and_wait_running(1, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("task") == 1; }, 10));
  h.run_for(0.05);                  // now in its 10 s wait
  ASSERT_TRUE(h.stop_and_wait(3));  // neither the 10 s wait nor the 5 s timeout
  EXPECT_EQ(events().of(events().users_with("task").at(0)),
            (std::vector<std::string>{"task", "on_stop"}));
}

TEST_F(EngineTest, RampDownWithStopTimeoutLetsTheStoppedUsersTaskFinish) {
  RunnerHarness h({describe<Busy<400>>("Busy")}, with_stop_timeout(3));
  ASSERT_TRUE(h.start_and_wait_running(2, 100));
  ASSERT_TRUE(h.run_until([] { return events().users_with("begin").size() == 2; }, 10));
  h.runner().start(1, 100);
  ASSERT_TRUE(h.run_until([] { return events().count("on_stop") == 1; }, 5));
  const int stopped = events().users_with("on_stop").at(0);
  const std::vector<std::string> seen = events().of(stopped);
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(seen.end() - 3, seen.end()),
            (std::vector<std::string>{"begin", "end", "on_stop"}));
}

// Regression (fixed in c872928): every stopped user gets the full --stop-timeout from its own
// stop request. The timer armed by a ramp-down used to stop every user in the stopping state,
// so a user asked to stop by stop() 0.6 s later had 0.4 s instead of 1 s. (Locust 2.12, same
// sequence: both users end 1 s after stop().)
TEST_F(EngineTest, EveryStoppedUserGetsTheFullStopTimeout) {
  bool stopped = false;  // before the harness: the stop callback may run while it quits
  RunnerHarness h({describe<Busy<3000>>("Busy")}, with_stop_timeout(1));
  ASSERT_TRUE(h.start_and_wait_running(2, 100));
  ASSERT_TRUE(h.run_until([] { return events().users_with("begin").size() == 2; }, 10));
  h.runner().start(1, 100);  // the newest user gets 1 s to finish its task
  h.run_for(0.6);
  const auto stop_called = Clock::now();
  h.runner().stop([&stopped] { stopped = true; });
  ASSERT_TRUE(h.run_until([] { return events().count("on_stop") == 2; }, 5));
  const auto on_stops = events().named("on_stop");
  // The user stopped by stop() is the second to end; it was entitled to 1 s from stop().
  EXPECT_GE(seconds_between(stop_called, on_stops[1].at), 1.0 - 0.05);
  ASSERT_TRUE(h.run_until([&stopped] { return stopped; }, 5));
}

class StuckInOnStop : public TrackedUser {
 public:
  Task<> on_stop() override {
    note("on_stop");
    co_await sleep(30);
    note("on_stop_done");
  }
  Task<> work() {
    note("task");
    co_return;
  }
  static void define(Spec<StuckInOnStop> spec) {
    spec.wait_time(constant(10)).task("work", &StuckInOnStop::work);
  }
};

TEST_F(EngineTest, HurryEndsAStopThatWaitsForOnStop) {
  bool stopped = false;  // before the harness: the stop callback may run while it quits
  RunnerHarness h({describe<StuckInOnStop>("StuckInOnStop")});
  ASSERT_TRUE(h.start_and_wait_running(1, 100));
  ASSERT_TRUE(h.run_until([] { return events().count("task") == 1; }, 10));
  h.runner().stop([&stopped] { stopped = true; });
  ASSERT_TRUE(h.run_until([] { return events().count("on_stop") == 1; }, 5));
  h.run_for(0.1);
  EXPECT_FALSE(stopped);  // on_stop is still sleeping
  EXPECT_EQ(h.runner().state(), RunnerState::kStopping);
  h.runner().hurry();
  ASSERT_TRUE(h.run_until([&stopped] { return stopped; }, 3));
  EXPECT_EQ(h.runner().state(), RunnerState::kStopped);
  EXPECT_EQ(events().count("on_stop_done"), 0);
}

}  // namespace
}  // namespace hornet::core
