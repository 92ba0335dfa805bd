// Control flow for tasks, as Locust's exceptions. They deliberately do not derive from
// std::exception, so a task's `catch (const std::exception&)` does not swallow them.
#pragma once

namespace hornet {

/// Throw from a task to stop this user for good (on_stop runs; the user count drops).
struct StopUser {};
/// Throw to end the current task now; the user waits as after a normal task.
struct RescheduleTask {};
/// Throw to end the current task and pick the next one without waiting.
struct RescheduleTaskImmediately {};
/// Thrown by TaskSet::interrupt(): leaves the task set and returns to its parent.
struct InterruptTaskSet {
  bool reschedule = true;
};
/// Thrown by the engine at a user's current co_await when the runner stops that user (ramp-down,
/// stop, quit). A task that catches everything (`catch (...)`) must rethrow it.
struct UserStopped {};

}  // namespace hornet
