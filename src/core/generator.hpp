// Generator<T>: a minimal synchronous generator coroutine (C++23's std::generator is not
// available in C++20), used where Locust's algorithms are Python generators and a faithful port
// reads best as one.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace hornet::core {

template <class T>
class [[nodiscard]] Generator {
 public:
  struct promise_type {
    std::optional<T> current;
    std::exception_ptr error;

    Generator get_return_object() {
      return Generator(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T value) {
      current = std::move(value);
      return {};
    }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
  };

  Generator() = default;
  explicit Generator(std::coroutine_handle<promise_type> handle) : handle_(handle) {}
  Generator(Generator&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~Generator() {
    if (handle_) handle_.destroy();
  }

  /// The next value, or nullopt once the generator returned.
  std::optional<T> next() {
    if (!handle_ || handle_.done()) return std::nullopt;
    handle_.promise().current.reset();
    handle_.resume();
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
    if (handle_.done()) return std::nullopt;
    return std::move(handle_.promise().current);
  }

 private:
  std::coroutine_handle<promise_type> handle_;
};

}  // namespace hornet::core
