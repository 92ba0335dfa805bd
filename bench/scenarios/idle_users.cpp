// Benchmark case (c), memory: many users that are mostly idle. Each GETs the small static file
// and then waits 1 s (constant(1)), so 10,000 users hold 10,000 keep-alive connections and
// coroutine frames while sending about 10,000 requests/s. The figure of interest is the
// process's resident memory, per user.
//
// Users spawn in batches (as in Locust, a spawn rate of R starts R users at once every second),
// and a constant wait would keep each batch in step: thousands of requests at the same instant,
// then nothing, so the hold would measure a queue at nginx rather than idle users. Each user
// therefore starts with a random pause of up to 1 s, which spreads the load evenly over the
// second and keeps it spread.
//
//   build/bench/bench/bench_idle_users -H http://127.0.0.1:8080 -u 10000 -r 5000 --headless
#include <hornet/hornet.hpp>

class IdleUser : public hornet::HttpUser {
 public:
  hornet::Task<> on_start() override { co_await sleep(random()); }

  hornet::Task<> hello() { co_await client().get("/hello.txt"); }

  static void define(hornet::Spec<IdleUser> spec) {
    spec.wait_time(hornet::constant(1)).task("hello", &IdleUser::hello);
  }
};

HORNET_USER(IdleUser);
