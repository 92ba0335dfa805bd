// A user's life as Locust lives it (locust/user/task.py, users.py): on_start, then pick a task,
// run it, wait, again, until the user is stopped; then on_stop. Nested task sets run the same
// loop until they are interrupted. Exceptions in tasks are counted and the user carries on.
#pragma once

#include <hornet/task.hpp>

namespace hornet::detail {
class UserRuntime;
}

namespace hornet::core {

/// Runs one user to its end. Never throws; on the user's worker thread.
Task<> run_user(detail::UserRuntime& runtime);

}  // namespace hornet::core
