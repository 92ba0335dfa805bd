// cli::LoadTest with a scenario's RunHooks and LoadShape (core/run_hooks.hpp): where each event
// fires, and a shape driving the runner as Locust 2.12's shape_worker. The runner is a fake
// whose ramps complete on the next turn of the control loop and whose calls are recorded, so
// the order of hooks and runner calls is exact. Shape tests take a few seconds (the shape is
// polled once a second, as Locust's).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <hornet/hornet.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/load_test.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/run_hooks.hpp"
#include "core/runner.hpp"
#include "core/scenario.hpp"

namespace hornet::cli {
namespace {

namespace asio = boost::asio;
using core::RunnerState;

/// What happened, in order: runner calls ("start 2 10 B", "stop", "quit") and hooks
/// ("test_start", "spawning_complete 2", "update", "test_stop", "quitting").
using Journal = std::vector<std::string>;

class FakeRunner final : public core::Runner {
 public:
  FakeRunner(asio::io_context& io, std::shared_ptr<const core::Scenario> scenario,
             Journal& journal)
      : io_(io), scenario_(std::move(scenario)), journal_(journal),
        aggregate_(core::epoch_seconds()) {}

  void launch() override {}
  void start(int user_count, double spawn_rate,
             const std::vector<std::string>& user_classes) override {
    std::string line = "start " + std::to_string(user_count) + " " +
                       std::to_string(static_cast<int>(spawn_rate));
    for (const auto& name : user_classes) line += " " + name;
    journal_.push_back(line);
    target_ = user_count;
    set_state(RunnerState::kSpawning);
    asio::post(io_, [this] {
      if (state_ != RunnerState::kSpawning) return;
      users_ = target_;
      set_state(RunnerState::kRunning);
    });
  }
  void stop(std::function<void()> done) override {
    journal_.push_back("stop");
    end(std::move(done));
  }
  void quit(std::function<void()> done) override {
    journal_.push_back("quit");
    end(std::move(done));
  }
  void reset_stats() override {}
  void set_host(std::string) override {}
  void hurry() override {}
  void collect(std::function<void()> done) override {
    if (done) done();
  }
  RunnerState state() const noexcept override { return state_; }
  int user_count() const override { return users_; }
  std::map<std::string, int> user_classes_count() const override { return {}; }
  const std::map<std::string, int>& final_user_classes_count() const noexcept override {
    return final_;
  }
  int target_user_count() const noexcept override { return target_; }
  const stats::Aggregate& stats() const noexcept override { return aggregate_; }
  stats::Aggregate& stats() noexcept override { return aggregate_; }
  const core::Scenario& scenario() const noexcept override { return *scenario_; }

 private:
  void set_state(RunnerState state) {
    if (state == state_) return;
    state_ = state;
    if (on_state_change) on_state_change(state);
  }
  void end(std::function<void()> done) {
    if (state_ == RunnerState::kReady || state_ == RunnerState::kStopped) {
      set_state(RunnerState::kStopped);
      if (done) done();
      return;
    }
    set_state(RunnerState::kStopping);
    asio::post(io_, [this, done = std::move(done)] {
      users_ = 0;
      set_state(RunnerState::kStopped);
      if (done) done();
    });
  }

  asio::io_context& io_;
  std::shared_ptr<const core::Scenario> scenario_;
  Journal& journal_;
  stats::Aggregate aggregate_;
  RunnerState state_ = RunnerState::kReady;
  int target_ = 0;
  int users_ = 0;
  std::map<std::string, int> final_;
};

class RecordingHooks final : public core::RunHooks {
 public:
  explicit RecordingHooks(Journal& journal) : journal_(journal) {}
  void test_start() override { journal_.push_back("test_start"); }
  void test_stop() override { journal_.push_back("test_stop"); }
  void spawning_complete(int user_count) override {
    journal_.push_back("spawning_complete " + std::to_string(user_count));
  }
  void update(const core::RunSnapshot& snapshot) override {
    // Consecutive ticks collapse into one entry, so the journal is independent of timing.
    if (journal_.empty() || journal_.back() != "update") journal_.push_back("update");
    last_update = snapshot;
  }
  std::optional<int> quitting(const core::RunSnapshot& snapshot) override {
    journal_.push_back("quitting");
    last_quitting = snapshot;
    return exit_code;
  }

  std::optional<int> exit_code;
  std::optional<core::RunSnapshot> last_update;
  std::optional<core::RunSnapshot> last_quitting;

 private:
  Journal& journal_;
};

/// Stages by run time: [0, 1.5) s 2 users, [1.5, 2.5) s 4 users of B only, then the end.
class SteppedShape final : public core::LoadShape {
 public:
  std::optional<core::ShapeStage> tick(double run_time) override {
    run_times.push_back(run_time);
    if (run_time < 1.5) return core::ShapeStage{.users = 2, .spawn_rate = 10};
    if (run_time < 2.5) return core::ShapeStage{.users = 4, .spawn_rate = 10, .user_classes = {"B"}};
    return std::nullopt;
  }
  void reset() override { ++resets; }
  std::vector<double> run_times;
  int resets = 0;
};

class A : public User {
 public:
  Task<> t() { co_return; }
  static void define(Spec<A> spec) { spec.task("t", &A::t); }
};
class B : public A {
 public:
  static void define(Spec<B> spec) { spec.task("t", &B::t); }
};

class LoadTestHooks : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(log::configure(log::Level::kCritical, std::nullopt, false).ok());
    auto prepared = core::Scenario::prepare({describe<A>("A"), describe<B>("B")}, {});
    ASSERT_TRUE(prepared.ok());
    scenario_ = std::make_shared<const core::Scenario>(std::move(prepared).value());
    hooks_ = std::make_shared<RecordingHooks>(journal_);
  }

  std::unique_ptr<LoadTest> make(Options options) {
    options.only_summary = true;  // no periodic tables in the test's output
    auto test = std::make_unique<LoadTest>(io_, std::move(options), scenario_,
                                           std::make_unique<FakeRunner>(io_, scenario_, journal_),
                                           "http://127.0.0.1:1", std::nullopt, "test");
    return test;
  }

  /// Runs the control loop until LoadTest::finish() stops it, or `seconds` pass (false).
  bool run_to_exit(double seconds) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (!io_.stopped()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io_.run_one_for(std::chrono::milliseconds(5));
    }
    return true;
  }
  void run_for(double seconds) { (void)run_to_exit(seconds); }

  asio::io_context io_;
  Journal journal_;
  std::shared_ptr<const core::Scenario> scenario_;
  std::shared_ptr<RecordingHooks> hooks_;
};

TEST_F(LoadTestHooks, HeadlessRunFiresTheEventsInLocustsOrderAndQuittingSetsTheExitCode) {
  Options options;
  options.headless = true;
  options.users = 3;
  options.spawn_rate = 10;
  options.run_time = std::chrono::seconds(2);
  auto test = make(options);
  hooks_->exit_code = 7;
  test->set_scenario_hooks(hooks_, nullptr);
  ASSERT_TRUE(test->open().ok());
  test->start();
  ASSERT_TRUE(run_to_exit(10));
  EXPECT_EQ(journal_, (Journal{"start 3 10", "test_start", "spawning_complete 3", "update", "quit",
                               "test_stop", "quitting"}));
  EXPECT_EQ(test->exit_code(), 7);
  ASSERT_TRUE(hooks_->last_update.has_value());
  EXPECT_EQ(hooks_->last_update->state, "running");
  EXPECT_EQ(hooks_->last_update->user_count, 3);
  EXPECT_EQ(hooks_->last_update->percentiles.size(), 11u);
  EXPECT_EQ(hooks_->last_update->percentiles.count(0.95), 1u);
  ASSERT_TRUE(hooks_->last_quitting.has_value());
  EXPECT_EQ(hooks_->last_quitting->state, "stopped");
}

TEST_F(LoadTestHooks, QuittingWithoutACodeKeepsTheUsualExitCode) {
  Options options;
  options.headless = true;
  options.run_time = std::chrono::seconds(1);
  auto test = make(options);
  test->set_scenario_hooks(hooks_, nullptr);
  test->start();
  ASSERT_TRUE(run_to_exit(10));
  EXPECT_EQ(test->exit_code(), 0);
  EXPECT_EQ(journal_.back(), "quitting");
}

TEST_F(LoadTestHooks, HeadlessShapeRampsStageByStageThenQuits) {
  Options options;
  options.headless = true;
  options.users = 50;  // ignored, with Locust's warning
  auto shape = std::make_shared<SteppedShape>();
  auto test = make(options);
  test->set_scenario_hooks(hooks_, shape);
  test->start();
  ASSERT_TRUE(run_to_exit(10));
  EXPECT_EQ(journal_, (Journal{"start 2 10", "test_start", "spawning_complete 2", "update",
                               "start 4 10 B", "spawning_complete 4", "update", "quit",
                               "test_stop", "quitting"}));
  EXPECT_EQ(shape->resets, 1);
  // Polled at once, then once a second: 0, 1, 2, 3 s.
  ASSERT_EQ(shape->run_times.size(), 4u);
  EXPECT_LT(shape->run_times[0], 0.5);
  EXPECT_GE(shape->run_times[3], 2.5);
}

TEST_F(LoadTestHooks, ShapeWithRunTimeEndsAtTheRunTime) {
  Options options;
  options.headless = true;
  options.run_time = std::chrono::seconds(1);
  auto shape = std::make_shared<SteppedShape>();
  auto test = make(options);
  test->set_scenario_hooks(hooks_, shape);
  test->start();
  ASSERT_TRUE(run_to_exit(10));
  EXPECT_EQ(journal_.front(), "start 2 10");
  EXPECT_EQ(std::count(journal_.begin(), journal_.end(), "start 4 10 B"), 0);
  EXPECT_EQ(journal_.back(), "quitting");
}

TEST_F(LoadTestHooks, UiSwarmWithAShapeNeedsNoCountsAndStopsWhenTheShapeEnds) {
  Options options;  // web UI mode (the server is not opened: the test is the UI)
  auto shape = std::make_shared<SteppedShape>();
  auto test = make(options);
  test->set_scenario_hooks(hooks_, shape);
  EXPECT_TRUE(test->shape_test());
  EXPECT_EQ(test->ui_config().value("is_shape", false), true);
  test->start();
  run_for(0.2);
  EXPECT_TRUE(journal_.empty());  // nothing starts before the swarm
  ASSERT_TRUE(test->swarm(web::SwarmRequest{}).ok());
  run_for(4);
  EXPECT_FALSE(io_.stopped());  // the UI stays
  EXPECT_EQ(journal_, (Journal{"start 2 10", "test_start", "spawning_complete 2", "update",
                               "start 4 10 B", "spawning_complete 4", "update", "stop",
                               "test_stop", "update"}));
  // A second swarm is a new test: the shape restarts from its beginning.
  journal_.clear();
  ASSERT_TRUE(test->swarm(web::SwarmRequest{}).ok());
  run_for(0.5);
  EXPECT_EQ(shape->resets, 2);
  EXPECT_EQ(journal_, (Journal{"start 2 10", "test_start", "spawning_complete 2"}));
  test->stop();  // the UI's stop ends the shape too
  run_for(1.5);
  EXPECT_EQ(std::count(journal_.begin(), journal_.end(), "start 4 10 B"), 0);
  EXPECT_EQ(std::count(journal_.begin(), journal_.end(), "test_stop"), 1);
  test->shut_down();
  ASSERT_TRUE(run_to_exit(5));
  EXPECT_EQ(journal_.back(), "quitting");
}

TEST_F(LoadTestHooks, WithoutAShapeTheUiConfigSaysSo) {
  auto test = make(Options{});
  EXPECT_FALSE(test->shape_test());
  EXPECT_EQ(test->ui_config().value("is_shape", true), false);
}

}  // namespace
}  // namespace hornet::cli
