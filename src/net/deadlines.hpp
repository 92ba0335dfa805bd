// Deadlines for in-flight operations (connect and response timeouts), swept by one periodic
// timer per worker thread instead of one timer per request: adding and removing a deadline is a
// pair of pointer writes on the request path.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "net/cancellation.hpp"

namespace hornet::net {

using SteadyClock = std::chrono::steady_clock;

class DeadlineList;

/// One armed deadline (an intrusive list node). Arm it for the duration of an operation; when
/// the deadline passes, the list cancels `target` and expired() turns true. Not copyable: it
/// lives in the frame of the coroutine whose operation it bounds. Removes itself on destruction.
class Deadline {
 public:
  Deadline() = default;
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  ~Deadline() { disarm(); }

  void arm(DeadlineList& list, SteadyClock::time_point when, Cancellable& target) noexcept;
  void disarm() noexcept;
  /// True once the deadline passed while armed (the target was cancelled).
  bool expired() const noexcept { return expired_; }

 private:
  friend class DeadlineList;
  DeadlineList* list_ = nullptr;
  Deadline* prev_ = nullptr;
  Deadline* next_ = nullptr;
  SteadyClock::time_point when_{};
  Cancellable* target_ = nullptr;
  bool expired_ = false;
};

/// The armed deadlines of one thread. Thread affinity: that thread only. Resolution: `tick`
/// (a deadline fires at most one tick late); the timer runs only while deadlines are armed.
class DeadlineList {
 public:
  explicit DeadlineList(boost::asio::io_context& io,
                        std::chrono::milliseconds tick = std::chrono::milliseconds(50));
  DeadlineList(const DeadlineList&) = delete;
  DeadlineList& operator=(const DeadlineList&) = delete;
  ~DeadlineList();

 private:
  friend class Deadline;
  void link(Deadline& d) noexcept;
  void unlink(Deadline& d) noexcept;
  void start_timer();
  void sweep();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds tick_;
  Deadline* head_ = nullptr;
  bool timer_running_ = false;
};

}  // namespace hornet::net
