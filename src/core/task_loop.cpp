#include "core/task_loop.hpp"

#include <cxxabi.h>

#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/script_error.hpp"
#include "core/user_runtime.hpp"
#include "core/worker.hpp"

namespace hornet::core {
namespace {

using detail::ScopeAccess;
using detail::UserRuntime;
using State = UserRuntime::State;

std::string exception_type_name() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) return "unknown exception";
  return detail::class_name_of(*type);
}

// Counts an exception in the exceptions table, with where it came from. Locust logs each one
// at ERROR; Hornet logs only the first of each kind, the table counts them all.
void record_exception(UserRuntime& runtime, const std::exception_ptr& error,
                      const std::string& task) {
  std::string message;
  std::string type;
  std::string script_traceback;
  try {
    std::rethrow_exception(error);
  } catch (const ScriptError& e) {
    message = e.what();
    script_traceback = e.traceback();
  } catch (const std::exception& e) {
    message = e.what();
    type = exception_type_name();
  } catch (...) {
    type = exception_type_name();
    message = type;
  }
  std::string where;
  for (const auto& name : runtime.task_path()) where += name + " > ";
  where += task;
  // A script error carries the script's own traceback, which says more than the C++ type.
  const std::string traceback =
      "  in task " + where + "\n" +
      (script_traceback.empty() ? "  raised " + type + "\n" : script_traceback + "\n");
  runtime.worker().shard().record_exception(message, traceback);
  if (runtime.worker().first_exception(message + '\n' + traceback)) {
    log::write(log::Level::kError, "hornet.user.task", message + "\n" + traceback);
  }
}

// The wait a scope uses, and whose state it keeps: a TaskSet's own wait_time with its state, or
// else the user's, with the user's state (Locust calls the user's wait_time on the user, so
// constant_pacing paces the user across its task sets).
struct ScopeWait {
  const WaitTime* wait_time = nullptr;
  WaitState* state = nullptr;
  TaskScope* scope = nullptr;  // whose wait_time it is
};

ScopeWait wait_for(UserRuntime& runtime, TaskScope& scope, const PreparedClass& scope_class) {
  if (scope_class.info->wait_time) {
    return {&*scope_class.info->wait_time, &ScopeAccess::wait_state(scope), &scope};
  }
  const auto& user_class = runtime.user_class();
  if (user_class.info->wait_time) {
    return {&*user_class.info->wait_time, &ScopeAccess::wait_state(runtime.user()),
            &runtime.user()};
  }
  return {};
}

// on_stop of a task set or user: exceptions other than a stop are counted, not propagated.
Task<> run_on_stop(UserRuntime& runtime, TaskScope& scope) {
  std::exception_ptr error;
  try {
    co_await scope.on_stop();
  } catch (const UserStopped&) {
    throw;
  } catch (const StopUser&) {
    // Already stopping.
  } catch (...) {
    error = std::current_exception();
  }
  if (error) record_exception(runtime, error, "on_stop");
}

Task<> run_tasks(UserRuntime& runtime, TaskScope& scope, const PreparedClass& cls, bool nested) {
  if (nested) {
    std::optional<InterruptTaskSet> interrupted;
    try {
      co_await scope.on_start();
    } catch (const InterruptTaskSet& e) {
      interrupted = e;
    }
    if (interrupted) {
      if (interrupted->reschedule) throw RescheduleTaskImmediately{};
      throw RescheduleTask{};
    }
  }
  const ScopeWait wait = wait_for(runtime, scope, cls);
  Worker& worker = runtime.worker();
  std::size_t sequence_position = 0;
  bool wait_first = false;
  const std::string* task_name = nullptr;

  for (;;) {
    enum class Exit { kNone, kInterrupt, kStopUser, kStopped } exit = Exit::kNone;
    bool reschedule = false;
    std::exception_ptr error;
    bool wait_failed = false;  // the error came from the wait time itself
    try {
      if (wait_first) {
        // Locust's TaskSet.wait(): check for a stop, wait, check again.
        wait_first = false;
        if (runtime.state() == State::kStopping) throw StopUser{};
        runtime.set_state(State::kWaiting);
        wait_failed = true;
        const double seconds =
            wait.wait_time != nullptr
                ? wait.wait_time->next(*wait.state, epoch_seconds(), worker.uniform01(),
                                       wait.scope)
                : 0.0;
        wait_failed = false;
        if (seconds > 0) {
          co_await net::sleep_for(runtime.timer(), std::chrono::duration<double>(seconds),
                                  &runtime.stop_token());
        } else {
          // Like gevent.sleep(0): let the thread's other users run.
          co_await net::Yield(worker.io(), &runtime.stop_token());
        }
        if (runtime.state() == State::kStopping) throw StopUser{};
        runtime.set_state(State::kRunning);
        runtime.intended_send().reset();  // only ever for the task about to start
        if (wait.wait_time != nullptr && wait.wait_time->paced()) {
          // Behind schedule (the previous task overran its period): the task's first request
          // is timed from when the schedule wanted it sent.
          const double late = epoch_seconds() - wait.state->scheduled_start;
          if (late > 0) {
            runtime.set_intended_send(std::chrono::steady_clock::now() -
                                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                          std::chrono::duration<double>(late)));
          }
        }
      }
      const std::size_t index = cls.sequential()
                                    ? cls.sequence[sequence_position++ % cls.sequence.size()]
                                    : cls.pick(worker.uniform01());
      const PreparedTask& task = cls.tasks[index];
      task_name = &task.info->name;
      if (runtime.state() == State::kStopping) throw StopUser{};
      try {
        if (!task.task_set) {
          co_await task.info->run(scope);
        } else {
          auto child = task.task_set->info->create();
          ScopeAccess::bind_task_set(*child, scope);
          runtime.task_path().push_back(task.task_set->name());
          struct PopPath {
            UserRuntime& runtime;
            ~PopPath() { runtime.task_path().pop_back(); }
          } pop{runtime};
          co_await run_tasks(runtime, *child, *task.task_set, true);
        }
        wait_first = true;
      } catch (const RescheduleTaskImmediately&) {
      } catch (const RescheduleTask&) {
        wait_first = true;
      }
    } catch (const InterruptTaskSet& e) {
      exit = Exit::kInterrupt;
      reschedule = e.reschedule;
    } catch (const StopUser&) {
      exit = Exit::kStopUser;
    } catch (const UserStopped&) {
      exit = Exit::kStopped;
    } catch (...) {
      error = std::current_exception();
    }

    if (error) {
      if (wait_failed) {
        // A wait time that fails would fail again at once, forever, without the user ever
        // awaiting (and so without ever being stoppable): as in Locust, where the exception
        // leaves TaskSet.run, the user ends.
        record_exception(runtime, error, "wait_time");
        throw StopUser{};
      }
      record_exception(runtime, error, task_name != nullptr ? *task_name : "?");
      wait_first = true;
      continue;
    }
    if (exit == Exit::kNone) continue;
    if (exit == Exit::kInterrupt && !nested) {
      // Only a TaskSet can be interrupted; Locust kills the user here. Count it and go on.
      record_exception(runtime,
                       std::make_exception_ptr(std::logic_error(
                           "interrupt() was called in a User's own task; only TaskSets can be "
                           "interrupted")),
                       task_name != nullptr ? *task_name : "?");
      wait_first = true;
      continue;
    }
    if (nested) co_await run_on_stop(runtime, scope);
    switch (exit) {
      case Exit::kInterrupt:
        if (reschedule) throw RescheduleTaskImmediately{};
        throw RescheduleTask{};
      case Exit::kStopUser:
        throw StopUser{};
      default:
        throw UserStopped{};
    }
  }
}

}  // namespace

Task<> run_user(UserRuntime& runtime) {
  User& user = runtime.user();
  runtime.task_path().assign(1, runtime.user_class().name());
  bool stopped = false;
  std::exception_ptr error;
  try {
    co_await user.on_start();
  } catch (const StopUser&) {
    stopped = true;
  } catch (const UserStopped&) {
    stopped = true;
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    // As in Locust, a user whose on_start fails ends there, without on_stop.
    record_exception(runtime, error, "on_start");
    co_return;
  }
  if (!stopped) {
    try {
      co_await run_tasks(runtime, user, runtime.user_class(), false);
    } catch (const StopUser&) {
    } catch (const UserStopped&) {
    } catch (...) {
      error = std::current_exception();
    }
    if (error) record_exception(runtime, error, "?");
  }
  try {
    co_await run_on_stop(runtime, user);
  } catch (...) {
    // A hard stop during on_stop: the user ends now.
  }
}

}  // namespace hornet::core
