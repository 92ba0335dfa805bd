// Benchmark case (b), seed-like: the seed's multi-step journey without its waits. Each user logs
// in once (GET the login page, which sets the csrftoken cookie; POST the form with that token in
// X-CSRFToken, which sets the sessionid cookie), then runs three tasks weighted 1:2:2 with no
// wait. bench/nginx answers 403 to a request without the session cookie and 400 to the AJAX path
// without X-Requested-With, so lost cookies or headers show up as failures.
//
//   build/bench/bench/bench_seed_like -H http://127.0.0.1:8080 -u 50 -t 15s --headless
#include <hornet/hornet.hpp>
#include <string>

class SeedLikeUser : public hornet::HttpUser {
 public:
  hornet::Task<> on_start() override {
    auto login_page = co_await client().get("/accounts/login/");
    std::string csrftoken(login_page.cookies().get("csrftoken").value_or(""));
    co_await client()
        .post("/accounts/login/")
        .form({{"username", "username"}, {"password", "P455w0rd"}})
        .header("X-CSRFToken", csrftoken);
  }

  hornet::Task<> index() { co_await client().get("/"); }

  hornet::Task<> heavy_url() { co_await client().get("/heavy_url/"); }

  hornet::Task<> another_heavy_ajax_url() {
    co_await client().get("/another_heavy_ajax_url/").header("X-Requested-With", "XMLHttpRequest");
  }

  static void define(hornet::Spec<SeedLikeUser> spec) {
    spec.task("index", &SeedLikeUser::index, 1);
    spec.task("heavy_url", &SeedLikeUser::heavy_url, 2);
    spec.task("another_heavy_ajax_url", &SeedLikeUser::another_heavy_ajax_url, 2);
  }
};

HORNET_USER(SeedLikeUser);
