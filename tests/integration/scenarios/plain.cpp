// PlainUser: the simplest load, one path requested in a loop. What the tests vary comes from the
// environment (read once, when the class is declared):
//   ITEST_PATH  the path (or absolute URL) to GET, default "/"
//   ITEST_WAIT  seconds to wait between requests, default 0 (no wait)
// The class declares no host: without -H the run must fail as Locust's does.
#include <hornet/hornet.hpp>

#include <cstdlib>
#include <string>

using hornet::Task;

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

class PlainUser : public hornet::HttpUser {
 public:
  Task<> fetch() { co_await client().get(path_); }

  static void define(hornet::Spec<PlainUser> spec) {
    spec.wait_time(hornet::constant(std::stod(env_or("ITEST_WAIT", "0"))));
    spec.task("fetch", &PlainUser::fetch);
  }

 private:
  std::string path_ = env_or("ITEST_PATH", "/");
};

HORNET_USER(PlainUser);
