// A coroutine nobody awaits: it starts at once and frees its frame when it ends. The root of a
// chain of Tasks (a user's life, a script's spawned greenlet). An exception escaping it is a
// bug: it terminates (catch inside).
#pragma once

#include <coroutine>
#include <exception>

namespace hornet::core {

struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

}  // namespace hornet::core
