// A C++ scenario with run hooks and a load shape (core/hooks_registry.hpp), for test_shape.py.
//   First, Second  user classes GETting /echo/first and /echo/second, 0.1 s apart
//   the shape      [0, 2) s: 2 users (any class) at 10/s; [2, 4) s: 4 users, Second only, at
//                  10/s; then the end. With ITEST_SHAPE=off no shape is registered.
//   the hooks      append one line per event to $ITEST_HOOKS_LOG ("test_start",
//                  "spawning_complete N", "update STATE USERS REQUESTS" (one per tick),
//                  "test_stop", "quitting STATE REQUESTS"); quitting returns $ITEST_EXIT_CODE
//                  when set (Locust's environment.process_exit_code).
#include <cstdio>
#include <cstdlib>
#include <hornet/hornet.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/hooks_registry.hpp"

using hornet::Task;

namespace {

class First : public hornet::HttpUser {
 public:
  Task<> fetch() { co_await client().get("/echo/first"); }
  static void define(hornet::Spec<First> spec) {
    spec.wait_time(hornet::constant(0.1));
    spec.task("fetch", &First::fetch);
  }
};

class Second : public hornet::HttpUser {
 public:
  Task<> fetch() { co_await client().get("/echo/second"); }
  static void define(hornet::Spec<Second> spec) {
    spec.wait_time(hornet::constant(0.1));
    spec.task("fetch", &Second::fetch);
  }
};

class LoggingHooks final : public hornet::core::RunHooks {
 public:
  void test_start() override { write("test_start"); }
  void test_stop() override { write("test_stop"); }
  void spawning_complete(int user_count) override {
    write("spawning_complete " + std::to_string(user_count));
  }
  void update(const hornet::core::RunSnapshot& s) override {
    write("update " + s.state + " " + std::to_string(s.user_count) + " " +
          std::to_string(s.num_requests));
  }
  std::optional<int> quitting(const hornet::core::RunSnapshot& s) override {
    write("quitting " + s.state + " " + std::to_string(s.num_requests));
    const char* code = std::getenv("ITEST_EXIT_CODE");
    if (code == nullptr || *code == '\0') return std::nullopt;
    return std::atoi(code);
  }

 private:
  static void write(const std::string& line) {
    const char* path = std::getenv("ITEST_HOOKS_LOG");
    if (path == nullptr || *path == '\0') return;
    if (std::FILE* file = std::fopen(path, "a")) {
      std::fprintf(file, "%s\n", line.c_str());
      std::fclose(file);
    }
  }
};

class TwoStepShape final : public hornet::core::LoadShape {
 public:
  std::optional<hornet::core::ShapeStage> tick(double run_time) override {
    if (run_time < 2) return hornet::core::ShapeStage{.users = 2, .spawn_rate = 10};
    if (run_time < 4) {
      return hornet::core::ShapeStage{.users = 4, .spawn_rate = 10, .user_classes = {"Second"}};
    }
    return std::nullopt;
  }
};

const bool registered = [] {
  hornet::detail::register_run_hooks(std::make_shared<LoggingHooks>());
  const char* shape = std::getenv("ITEST_SHAPE");
  if (shape == nullptr || std::string(shape) != "off") {
    hornet::detail::register_load_shape(std::make_shared<TwoStepShape>());
  }
  return true;
}();

}  // namespace

HORNET_USER(First);
HORNET_USER(Second);
