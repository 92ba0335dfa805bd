#include "core/user_runtime.hpp"

#include <hornet/http.hpp>
#include <stdexcept>

#include "core/detached.hpp"
#include "core/task_loop.hpp"
#include "core/worker.hpp"
#include "http/session.hpp"

namespace hornet {
namespace {

// The root of a user's coroutine chain: started by the worker, never awaited, destroys itself
// when the user ends.
using core::Detached;

Detached launch(detail::UserRuntime* runtime) {
  try {
    co_await core::run_user(*runtime);
  } catch (...) {
    // run_user does not throw; nothing may escape a detached coroutine.
  }
  runtime->worker().user_finished(*runtime);
}

}  // namespace

namespace detail {

UserRuntime::UserRuntime(core::Worker& worker, std::shared_ptr<const core::PreparedClass> user_class,
                         std::size_t class_index)
    : worker_(worker),
      user_class_(std::move(user_class)),
      class_index_(class_index),
      host_(worker.settings().host.empty() ? user_class_->info->host : worker.settings().host),
      owned_(user_class_->info->create()),
      timer_(worker.io()) {
  user_ = dynamic_cast<User*>(owned_.get());
  if (user_ == nullptr) throw std::logic_error(user_class_->name() + " is not a User");
  ScopeAccess::bind_user(*user_, *this);
}

UserRuntime::~UserRuntime() = default;

void UserRuntime::start() { launch(this); }

}  // namespace detail

// --- The public API's engine-backed members -----------------------------------------------------

Task<> TaskScope::sleep(double seconds) {
  auto& runtime = user().runtime();
  if (seconds > 0) {
    co_await net::sleep_for(runtime.timer(), std::chrono::duration<double>(seconds),
                            &runtime.stop_token());
  } else {
    co_await net::Yield(runtime.worker().io(), &runtime.stop_token());
  }
}

double TaskScope::random() const { return user().runtime().worker().uniform01(); }

const std::string& User::host() const noexcept { return runtime_->host(); }

const std::string& User::class_name() const noexcept { return runtime_->user_class().name(); }

HttpUser::HttpUser() = default;
HttpUser::~HttpUser() = default;

HttpSession& HttpUser::client() {
  if (!client_) {
    auto& runtime = this->runtime();
    auto& worker = runtime.worker();
    client_ = std::make_unique<HttpSession>(
        http::make_session(worker.net(), worker.shard(), runtime.stop_token(),
                           runtime.intended_send(), runtime.host()));
  }
  return *client_;
}

TaskScope& TaskSet::parent() const noexcept { return *detail::ScopeAccess::parent(*this); }

HttpSession& TaskSet::client() const {
  HttpSession* session = user().http_session();
  if (session == nullptr) {
    throw std::logic_error("client(): the user (" + user().class_name() +
                           ") is not an HttpUser and has no HTTP session");
  }
  return *session;
}

}  // namespace hornet
