#include "net/deadlines.hpp"

namespace hornet::net {

void Deadline::arm(DeadlineList& list, SteadyClock::time_point when, Cancellable& target) noexcept {
  disarm();
  when_ = when;
  target_ = &target;
  expired_ = false;
  list.link(*this);
}

void Deadline::disarm() noexcept {
  if (list_ != nullptr) list_->unlink(*this);
}

DeadlineList::DeadlineList(boost::asio::io_context& io, std::chrono::milliseconds tick)
    : timer_(io), tick_(tick) {}

DeadlineList::~DeadlineList() {
  // Deadlines outliving their list would point at freed memory; detach them.
  while (head_ != nullptr) unlink(*head_);
}

void DeadlineList::link(Deadline& d) noexcept {
  d.list_ = this;
  d.prev_ = nullptr;
  d.next_ = head_;
  if (head_ != nullptr) head_->prev_ = &d;
  head_ = &d;
  if (!timer_running_) start_timer();
}

void DeadlineList::unlink(Deadline& d) noexcept {
  if (d.prev_ != nullptr) d.prev_->next_ = d.next_;
  if (d.next_ != nullptr) d.next_->prev_ = d.prev_;
  if (head_ == &d) head_ = d.next_;
  d.list_ = nullptr;
  d.prev_ = d.next_ = nullptr;
}

void DeadlineList::start_timer() {
  timer_running_ = true;
  timer_.expires_after(tick_);
  timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;  // cancelled: the list is being destroyed, do not touch it
    timer_running_ = false;
    sweep();
    if (head_ != nullptr) start_timer();
  });
}

void DeadlineList::sweep() {
  const auto now = SteadyClock::now();
  // Expired deadlines are unlinked before their target is cancelled: cancelling only schedules
  // the operation's completion, which disarms (a no-op by then) from another handler later.
  for (Deadline* d = head_; d != nullptr;) {
    Deadline* next = d->next_;
    if (d->when_ <= now) {
      unlink(*d);
      d->expired_ = true;
      d->target_->cancel();
    }
    d = next;
  }
}

}  // namespace hornet::net
