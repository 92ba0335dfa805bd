// hornet::WaitTime, Locust's wait_time helpers (reference §4.3, locust/user/wait_time.py), on a
// fake clock: `now` and the random number are passed in, so every value is exact.
#include <gtest/gtest.h>

#include <hornet/wait_time.hpp>
#include <stdexcept>

namespace hornet {
namespace {

// Pacing subtracts epoch-sized times: results carry rounding of about 2e-7 s.
constexpr double kEpochRounding = 1e-6;

// A clock the test moves by hand, in epoch seconds.
class FakeClock {
 public:
  double now() const { return now_; }
  void advance(double seconds) { now_ += seconds; }

 private:
  double now_ = 1'700'000'000.0;
};

TEST(WaitTime, DefaultIsNoWait) {
  const WaitTime wait;
  WaitState state;
  EXPECT_EQ(wait.next(state, 0, 0.7), 0.0);
  EXPECT_FALSE(wait.paced());
}

TEST(WaitTime, ConstantAlwaysReturnsItsValue) {
  const WaitTime wait = constant(2.5);
  WaitState state;
  FakeClock clock;
  for (double u : {0.0, 0.5, 0.999}) {
    EXPECT_EQ(wait.next(state, clock.now(), u), 2.5);
    clock.advance(7);
  }
  EXPECT_FALSE(wait.paced());
}

TEST(WaitTime, ConstantNeverNegative) {
  WaitState state;
  EXPECT_EQ(constant(-1).next(state, 0, 0), 0.0);
}

TEST(WaitTime, BetweenIsMinPlusUniformTimesRange) {
  // Locust: min_wait + random.random() * (max_wait - min_wait).
  const WaitTime wait = between(1, 3);
  WaitState state;
  EXPECT_EQ(wait.next(state, 0, 0.0), 1.0);
  EXPECT_EQ(wait.next(state, 0, 0.25), 1.5);
  EXPECT_EQ(wait.next(state, 0, 0.5), 2.0);
  const double near_max = wait.next(state, 0, 0.9999999);
  EXPECT_LT(near_max, 3.0);
  EXPECT_NEAR(near_max, 3.0, 1e-6);
  EXPECT_FALSE(wait.paced());
}

TEST(WaitTime, BetweenAcceptsBoundsInEitherOrder) {
  WaitState state;
  EXPECT_EQ(between(3, 1).next(state, 0, 0.0), 1.0);
  EXPECT_EQ(between(3, 1).next(state, 0, 0.5), 2.0);
}

TEST(WaitTime, BetweenEqualBoundsIsConstant) {
  WaitState state;
  EXPECT_EQ(between(0.5, 0.5).next(state, 0, 0.9), 0.5);
}

TEST(WaitTime, ConstantPacingFirstCallIsTheFullPeriod) {
  const WaitTime wait = constant_pacing(10);
  WaitState state;
  FakeClock clock;
  EXPECT_EQ(wait.next(state, clock.now(), 0.3), 10.0);
  EXPECT_TRUE(wait.paced());
}

TEST(WaitTime, ConstantPacingSubtractsTheTasksRunTime) {
  const WaitTime wait = constant_pacing(10);
  WaitState state;
  FakeClock clock;
  double waited = wait.next(state, clock.now(), 0);
  clock.advance(waited + 3);  // the wait, then a task of 3 s
  waited = wait.next(state, clock.now(), 0);
  EXPECT_NEAR(waited, 7.0, kEpochRounding);
  clock.advance(waited + 0.5);
  EXPECT_NEAR(wait.next(state, clock.now(), 0), 9.5, kEpochRounding);
}

TEST(WaitTime, ConstantPacingTaskLongerThanThePeriodGivesZero) {
  const WaitTime wait = constant_pacing(10);
  WaitState state;
  FakeClock clock;
  double waited = wait.next(state, clock.now(), 0);
  clock.advance(waited + 12);  // a task of 12 s
  waited = wait.next(state, clock.now(), 0);
  EXPECT_EQ(waited, 0.0);
  // The next period starts from there: a task of 4 s leaves 6 s.
  clock.advance(waited + 4);
  EXPECT_NEAR(wait.next(state, clock.now(), 0), 6.0, kEpochRounding);
}

TEST(WaitTime, ConstantPacingTaskOfExactlyThePeriodGivesZero) {
  const WaitTime wait = constant_pacing(2);
  WaitState state;
  FakeClock clock;
  clock.advance(wait.next(state, clock.now(), 0) + 2);
  EXPECT_NEAR(wait.next(state, clock.now(), 0), 0.0, kEpochRounding);
}

TEST(WaitTime, ConstantPacingStateIsPerInstance) {
  // Each User/TaskSet owns a WaitState: a second user starts with a full period.
  const WaitTime wait = constant_pacing(10);
  WaitState first;
  WaitState second;
  FakeClock clock;
  clock.advance(wait.next(first, clock.now(), 0) + 3);
  EXPECT_NEAR(wait.next(first, clock.now(), 0), 7.0, kEpochRounding);
  EXPECT_EQ(wait.next(second, clock.now(), 0), 10.0);
}

TEST(WaitTime, ConstantThroughputIsPacingAtTheInversePeriod) {
  const WaitTime wait = constant_throughput(4);  // a task every 0.25 s
  WaitState state;
  FakeClock clock;
  EXPECT_NEAR(wait.next(state, clock.now(), 0), 0.25, kEpochRounding);
  clock.advance(0.25 + 0.1);
  EXPECT_NEAR(wait.next(state, clock.now(), 0), 0.15, kEpochRounding);
  clock.advance(0.15 + 1.0);
  EXPECT_EQ(wait.next(state, clock.now(), 0), 0.0);
  EXPECT_TRUE(wait.paced());
}

TEST(WaitTime, ConstantThroughputRejectsANonPositiveRate) {
  EXPECT_THROW(constant_throughput(0), std::invalid_argument);
  EXPECT_THROW(constant_throughput(-2), std::invalid_argument);
}

TEST(WaitTime, CustomCallsTheFunctionEachTime) {
  int calls = 0;
  const WaitTime wait = WaitTime::custom([&calls] { return 0.5 * ++calls; });
  WaitState state;
  EXPECT_EQ(wait.next(state, 0, 0), 0.5);
  EXPECT_EQ(wait.next(state, 0, 0), 1.0);
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(wait.paced());
}

TEST(WaitTime, CustomNegativeOrEmptyGivesZero) {
  WaitState state;
  EXPECT_EQ(WaitTime::custom([] { return -3.0; }).next(state, 0, 0), 0.0);
  EXPECT_EQ(WaitTime::custom({}).next(state, 0, 0), 0.0);
}

TEST(WaitTime, CopiesShareNoState) {
  // A WaitTime is a value: copies used by two classes pace independently (state is external).
  const WaitTime original = constant_pacing(5);
  const WaitTime copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  WaitState a;
  WaitState b;
  FakeClock clock;
  clock.advance(original.next(a, clock.now(), 0) + 1);
  EXPECT_NEAR(original.next(a, clock.now(), 0), 4.0, kEpochRounding);
  EXPECT_EQ(copy.next(b, clock.now(), 0), 5.0);
}

}  // namespace
}  // namespace hornet
