// Awaitables that suspend a coroutine on an Asio operation and resume it, on the same thread,
// when the operation completes. They are the only places where users' coroutines suspend, so they
// are where a StopToken is honoured (see cancellation.hpp).
//
// Lifetime: an awaitable lives in the awaiting coroutine's frame; the completion handler holds a
// pointer to it and the coroutine handle. The frame cannot be destroyed while suspended here,
// because users are only ever stopped through their StopToken, which resumes them.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <coroutine>
#include <cstddef>
#include <hornet/control_flow.hpp>
#include <utility>

#include "net/cancellation.hpp"

namespace hornet::net {

using ErrorCode = boost::system::error_code;

/// The result of an Asio operation: its error and, for reads and writes, the byte count.
struct OpResult {
  ErrorCode error;
  std::size_t bytes = 0;
};

/// Awaits any Asio asynchronous operation. `initiate(handler)` starts it; the handler accepts
/// (ErrorCode) or (ErrorCode, std::size_t). While suspended, a stop request cancels `target`.
template <class Initiate>
class AsyncOp {
 public:
  AsyncOp(Initiate initiate, StopToken* stop, Cancellable* target)
      : initiate_(std::move(initiate)), stop_(stop), target_(target) {}

  bool await_ready() const noexcept { return stop_ != nullptr && stop_->pending(); }

  void await_suspend(std::coroutine_handle<> awaiting) {
    if (stop_ != nullptr) stop_->arm(target_);
    initiate_(Handler{this, awaiting});
  }

  /// Throws UserStopped when the user was stopped while (or before) waiting.
  OpResult await_resume() {
    if (stop_ != nullptr && stop_->take()) throw UserStopped{};
    return result_;
  }

 private:
  struct Handler {
    AsyncOp* op;
    std::coroutine_handle<> awaiting;
    void operator()(ErrorCode error, std::size_t bytes = 0) {
      op->result_ = {error, bytes};
      if (op->stop_ != nullptr) op->stop_->disarm();
      awaiting.resume();
    }
  };

  Initiate initiate_;
  StopToken* stop_;
  Cancellable* target_;
  OpResult result_;
};

template <class Initiate>
AsyncOp<Initiate> async_op(Initiate initiate, StopToken* stop, Cancellable* target) {
  return AsyncOp<Initiate>(std::move(initiate), stop, target);
}

/// Waits until a socket is readable or writable (reactor style: the caller then reads or writes
/// without blocking). Only wait for reading after a read returned would_block, or right after
/// writing a request: Asio registers sockets edge-triggered, so readiness that was already
/// reported before the wait started is not reported again.
inline auto wait_ready(boost::asio::ip::tcp::socket& socket,
                       boost::asio::ip::tcp::socket::wait_type type, StopToken* stop,
                       Cancellable* target) {
  return async_op([&socket, type](auto handler) { socket.async_wait(type, std::move(handler)); },
                  stop, target);
}

/// A steady_timer a stop request can cancel.
class CancellableTimer final : public Cancellable {
 public:
  explicit CancellableTimer(boost::asio::io_context& io) : timer_(io) {}
  void cancel() noexcept override { timer_.cancel(); }
  boost::asio::steady_timer& timer() noexcept { return timer_; }

 private:
  boost::asio::steady_timer timer_;
};

/// Sleeps on `timer` for `duration`; a stop request ends the sleep early (UserStopped).
template <class Duration>
auto sleep_for(CancellableTimer& timer, Duration duration, StopToken* stop) {
  timer.timer().expires_after(
      std::chrono::duration_cast<boost::asio::steady_timer::duration>(duration));
  return async_op([&timer](auto handler) { timer.timer().async_wait(std::move(handler)); }, stop,
                  &timer);
}

/// Lets the other coroutines of this thread run, then resumes (Locust's gevent.sleep(0)).
class Yield final : public Cancellable {
 public:
  Yield(boost::asio::io_context& io, StopToken* stop) : io_(io), stop_(stop) {}
  bool await_ready() const noexcept { return stop_ != nullptr && stop_->pending(); }
  void await_suspend(std::coroutine_handle<> awaiting) {
    boost::asio::post(io_, [awaiting] { awaiting.resume(); });
  }
  void await_resume() {
    if (stop_ != nullptr && stop_->take()) throw UserStopped{};
  }
  // A posted resumption cannot be withdrawn; it is imminent anyway.
  void cancel() noexcept override {}

 private:
  boost::asio::io_context& io_;
  StopToken* stop_;
};

}  // namespace hornet::net
