// Users, task sets and how their classes are declared.
//
// A scenario declares user classes the way a locustfile does:
//
//   class WebsiteUser : public hornet::HttpUser {
//    public:
//     hornet::Task<> index() { co_await client().get("/"); }
//     static void define(hornet::Spec<WebsiteUser> spec) {
//       spec.wait_time(hornet::between(1, 2)).task("index", &WebsiteUser::index, 3);
//     }
//   };
//   HORNET_USER(WebsiteUser);
//
// `define` is the class body's decorators and attributes (Locust's @task, @tag, weight,
// fixed_count, host, wait_time); it runs once per class, when the scenario is loaded. Instances
// are created by the engine (default constructor) on a worker thread and live there until they
// stop. The engine binds an instance to its user before calling on_start(): do not call client()
// or sleep() from a constructor.
#pragma once

#include <hornet/control_flow.hpp>
#include <hornet/task.hpp>
#include <hornet/wait_time.hpp>

#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace hornet {

class HttpSession;
class User;
class TaskScope;
class TaskSet;

namespace detail {

class UserRuntime;  // the engine's state of one running user (src/core)
class ScopeAccess;  // the engine's way in to a scope's private binding

enum class ClassKind { kUser, kTaskSet, kSequentialTaskSet };

struct ClassInfo;

/// One entry of a class's task list.
struct TaskInfo {
  std::string name;
  int weight = 1;
  std::vector<std::string> tags;
  /// Runs a method task on the scope that owns it (the scope's dynamic type is the class's).
  std::function<Task<>(TaskScope&)> run;
  /// Or, for a nested TaskSet, that class.
  std::shared_ptr<const ClassInfo> task_set;
};

/// Everything the engine knows of a User or TaskSet class, built once by its Spec.
struct ClassInfo {
  std::string name;
  ClassKind kind = ClassKind::kUser;
  std::vector<TaskInfo> tasks;
  std::vector<std::string> tags;  // class-level tags, applied to every task of the class
  std::optional<WaitTime> wait_time;
  std::function<std::unique_ptr<TaskScope>()> create;
  // Users only.
  bool http_user = false;  // derives from HttpUser: needs a host
  int weight = 1;
  int fixed_count = 0;
  std::string host;
};

/// A class's name as C++ spells it, without namespaces ("UserBehavior").
std::string class_name_of(const std::type_info& type);

}  // namespace detail

// ---------------------------------------------------------------------------------------------

/// What Users and TaskSets have in common: on_start/on_stop, a wait state and the user they run as.
class TaskScope {
 public:
  TaskScope() = default;
  TaskScope(const TaskScope&) = delete;
  TaskScope& operator=(const TaskScope&) = delete;
  virtual ~TaskScope() = default;

  /// Runs before the first task (for a TaskSet: each time it is entered).
  virtual Task<> on_start() { co_return; }
  /// Runs when the user stops or the TaskSet is interrupted.
  virtual Task<> on_stop() { co_return; }

  /// The user this scope runs as (itself for a User).
  User& user() const noexcept { return *user_; }

  /// Suspends this user for `seconds` without blocking its thread. The user can be stopped while
  /// sleeping (UserStopped is thrown).
  Task<> sleep(double seconds);

  /// A random number in [0, 1) from the worker thread's generator.
  double random() const;

 private:
  friend class detail::ScopeAccess;
  User* user_ = nullptr;
  TaskScope* parent_ = nullptr;
  WaitState wait_state_;
};

/// A simulated user that does not speak HTTP (derive from it to test other protocols).
class User : public TaskScope {
 public:
  /// The base URL: --host if given, else the class's host ("" if neither).
  const std::string& host() const noexcept;
  /// The registered name of this user's class.
  const std::string& class_name() const noexcept;

  /// This user's HTTP session, or nullptr if it is not an HttpUser.
  virtual HttpSession* http_session() { return nullptr; }

  detail::UserRuntime& runtime() const noexcept { return *runtime_; }

 private:
  friend class detail::ScopeAccess;
  detail::UserRuntime* runtime_ = nullptr;
};

/// A user with its own HTTP session, like Locust's HttpUser: cookies, default headers and
/// keep-alive connections persist across its tasks.
class HttpUser : public User {
 public:
  HttpUser();
  ~HttpUser() override;

  /// This user's session. Requests are relative to host().
  HttpSession& client();
  HttpSession* http_session() override { return &client(); }

 private:
  std::unique_ptr<HttpSession> client_;
};

/// A group of tasks a user runs until one calls interrupt() (Locust's TaskSet).
class TaskSet : public TaskScope {
 public:
  /// The User or TaskSet that picked this task set.
  TaskScope& parent() const noexcept;
  /// The user's HTTP session. Throws std::logic_error if the user is not an HttpUser.
  HttpSession& client() const;
  /// Leaves this task set: on_stop runs, then the parent goes on (waiting first unless
  /// `reschedule` is true, as in Locust).
  [[noreturn]] void interrupt(bool reschedule = true) { throw InterruptTaskSet{reschedule}; }
};

/// A TaskSet whose tasks run in declaration order, each `weight` times in a row, cycling.
class SequentialTaskSet : public TaskSet {};

// ---------------------------------------------------------------------------------------------

/// A handle on one task of a Spec, to tag it.
class TaskRef {
 public:
  explicit TaskRef(detail::TaskInfo& task) : task_(&task) {}
  /// Adds tags for --tags / --exclude-tags.
  template <class... Tags>
  TaskRef& tag(Tags&&... tags) {
    (task_->tags.emplace_back(std::forward<Tags>(tags)), ...);
    return *this;
  }

 private:
  detail::TaskInfo* task_;
};

template <class T>
std::shared_ptr<detail::ClassInfo> describe(std::string name);

/// The declaration of a User or TaskSet class T, passed by value to `T::define`. A derived class
/// that wants its base's tasks calls `Base::define(spec)` (a Spec<T> converts to Spec<Base>).
template <class T>
class Spec {
  static_assert(std::is_base_of_v<TaskScope, T>, "Spec<T>: T must derive from User or TaskSet");

 public:
  explicit Spec(detail::ClassInfo& info) : info_(&info) {}

  template <class Base>
    requires(std::is_base_of_v<Base, T> && !std::is_same_v<Base, T> &&
             std::is_base_of_v<TaskScope, Base>)
  operator Spec<Base>() const {  // NOLINT: implicit by design
    return Spec<Base>(*info_);
  }

  /// A task: member coroutine `method` of T (or of a base of T), picked `weight` times as often
  /// as a weight-1 task. `name` is the task's name in /tasks and in exception reports.
  template <class C>
    requires std::is_base_of_v<C, T>
  TaskRef task(std::string name, Task<> (C::*method)(), int weight = 1) {
    auto& task = info_->tasks.emplace_back();
    task.name = std::move(name);
    task.weight = weight;
    task.run = [method](TaskScope& self) { return (static_cast<C&>(self).*method)(); };
    return TaskRef(task);
  }

  /// A nested TaskSet class, picked `weight` times as often as a weight-1 task.
  template <class Nested>
    requires std::is_base_of_v<TaskSet, Nested>
  TaskRef task_set(int weight = 1) {
    auto& task = info_->tasks.emplace_back();
    task.name = detail::class_name_of(typeid(Nested));
    task.weight = weight;
    task.task_set = describe<Nested>(task.name);
    return TaskRef(task);
  }

  /// How long to wait after each task (default: no wait). On a TaskSet, overrides the user's.
  Spec& wait_time(WaitTime wait_time) {
    info_->wait_time = std::move(wait_time);
    return *this;
  }

  /// Tags every task of this class (Locust's @tag on a class).
  template <class... Tags>
  Spec& tag(Tags&&... tags) {
    (info_->tags.emplace_back(std::forward<Tags>(tags)), ...);
    return *this;
  }

  /// Relative share of users of this class (default 1).
  Spec& weight(int weight)
    requires std::is_base_of_v<User, T>
  {
    info_->weight = weight;
    return *this;
  }

  /// Exactly this many users of this class, spawned first; the weight is then ignored.
  Spec& fixed_count(int count)
    requires std::is_base_of_v<User, T>
  {
    info_->fixed_count = count;
    return *this;
  }

  /// The default base URL for this class's users (--host overrides it).
  Spec& host(std::string host)
    requires std::is_base_of_v<User, T>
  {
    info_->host = std::move(host);
    return *this;
  }

 private:
  detail::ClassInfo* info_;
};

/// Builds the ClassInfo of T by running T::define, if it has one.
template <class T>
std::shared_ptr<detail::ClassInfo> describe(std::string name) {
  auto info = std::make_shared<detail::ClassInfo>();
  info->name = std::move(name);
  if constexpr (std::is_base_of_v<SequentialTaskSet, T>) {
    info->kind = detail::ClassKind::kSequentialTaskSet;
  } else if constexpr (std::is_base_of_v<TaskSet, T>) {
    info->kind = detail::ClassKind::kTaskSet;
  } else {
    info->kind = detail::ClassKind::kUser;
  }
  info->http_user = std::is_base_of_v<HttpUser, T>;
  info->create = [] { return std::unique_ptr<TaskScope>(std::make_unique<T>()); };
  Spec<T> spec(*info);
  if constexpr (requires { T::define(spec); }) T::define(spec);
  return info;
}

namespace detail {

/// Adds a user class to this process's scenario. Called during static initialisation (by
/// HORNET_USER) or by a scenario loader; not thread-safe.
void register_user_class(std::shared_ptr<const ClassInfo> info);
/// The user classes registered so far, in registration order.
const std::vector<std::shared_ptr<const ClassInfo>>& registered_user_classes();

template <class U>
bool register_user(const char* name) {
  static_assert(std::is_base_of_v<User, U>, "HORNET_USER: the class must derive from hornet::User");
  static_assert(std::is_default_constructible_v<U>,
                "HORNET_USER: the class must be default-constructible");
  register_user_class(describe<U>(name));
  return true;
}

}  // namespace detail
}  // namespace hornet

#define HORNET_DETAIL_CONCAT2(a, b) a##b
#define HORNET_DETAIL_CONCAT(a, b) HORNET_DETAIL_CONCAT2(a, b)

/// Registers a user class so the runner can spawn it; its name is the class name as written.
#define HORNET_USER(UserClass)                                              \
  [[maybe_unused]] static const bool HORNET_DETAIL_CONCAT(hornet_user_, __LINE__) = \
      ::hornet::detail::register_user<UserClass>(#UserClass)
