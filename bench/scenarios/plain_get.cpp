// Benchmark case (a), the wrk-equivalent: every user GETs one small static file, with no wait
// between requests. Against bench/nginx (path /hello.txt); see bench/README.md.
//
//   build/bench/bench/bench_plain_get -H http://127.0.0.1:8080 -u 50 -t 15s --headless
#include <hornet/hornet.hpp>

class PlainGetUser : public hornet::HttpUser {
 public:
  hornet::Task<> hello() { co_await client().get("/hello.txt"); }

  // No wait_time: Locust's default constant(0), as a wrk connection sends its next request as
  // soon as the previous response is in.
  static void define(hornet::Spec<PlainGetUser> spec) { spec.task("hello", &PlainGetUser::hello); }
};

HORNET_USER(PlainGetUser);
