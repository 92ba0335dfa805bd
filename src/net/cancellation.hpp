// Stopping a user at its current co_await, and cancelling whatever it waits on.
//
// A user's coroutine is always suspended in one of the engine's awaitables when the runner acts on
// it (both run on the same worker thread). To stop it, the runner marks its StopToken and cancels
// the operation the token is armed with; the awaitable then resumes and throws UserStopped, which
// unwinds the user's tasks normally (destructors run, connections close, on_stop runs).
#pragma once

#include <cstdint>

namespace hornet::net {

/// Something in flight that can be abandoned: a socket wait, a timer, a DNS lookup. cancel()
/// makes the pending operation complete soon with operation_aborted.
class Cancellable {
 public:
  virtual void cancel() noexcept = 0;

 protected:
  ~Cancellable() = default;
};

/// One user's stop request. Thread affinity: the user's worker thread only.
class StopToken {
 public:
  enum class Mode : std::uint8_t {
    kNone,
    /// Throw UserStopped at the current await once; later awaits (in on_stop) work normally.
    kSoft,
    /// Every await throws UserStopped at once, without starting anything: the user must end.
    kHard,
  };

  /// Stops the user at its current await (cancelling it) or at its next one.
  void request(Mode mode) noexcept {
    if (mode > mode_) mode_ = mode;
    pending_ = true;
    if (armed_ != nullptr) armed_->cancel();
  }

  /// True when the next await must throw UserStopped instead of suspending.
  bool pending() const noexcept { return pending_; }
  bool hard() const noexcept { return mode_ == Mode::kHard; }

  /// Awaitables: while suspended, `target` is what a stop request cancels.
  void arm(Cancellable* target) noexcept { armed_ = target; }
  void disarm() noexcept { armed_ = nullptr; }

  /// Awaitables, on resume: true if the await must throw UserStopped. Consumes a soft request.
  bool take() noexcept {
    if (!pending_) return false;
    if (mode_ != Mode::kHard) pending_ = false;
    return true;
  }

 private:
  Cancellable* armed_ = nullptr;
  Mode mode_ = Mode::kNone;
  bool pending_ = false;
};

}  // namespace hornet::net
