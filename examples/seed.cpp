// The seed's locustfile (shared/reference/seed.md) in Hornet's C++ API: log in to a Django site
// with its CSRF token, then browse three pages with weights 1:2:2.
//
//   build/release/examples/seed -H http://127.0.0.1:8000 -u 50 -r 10 -t 30s --headless
#include <hornet/hornet.hpp>

#include <string>

using hornet::Task;

class UserBehavior : public hornet::TaskSet {
 public:
  Task<> on_start() override { co_await login(); }

  Task<> login() {
    // GET the login page to get the csrftoken cookie from it.
    auto response = co_await client().get("/accounts/login/");
    std::string csrftoken(response.cookies().get("csrftoken").value_or(""));
    // POST the login form with the token, as Django's CSRF check wants it.
    co_await client()
        .post("/accounts/login/")
        .form({{"username", "username"}, {"password", "P455w0rd"}})
        .header("X-CSRFToken", csrftoken);
  }

  Task<> index() { co_await client().get("/"); }

  Task<> heavy_url() { co_await client().get("/heavy_url/"); }

  Task<> another_heavy_ajax_url() {
    // An AJAX GET.
    co_await client().get("/another_heavy_ajax_url/").header("X-Requested-With", "XMLHttpRequest");
  }

  static void define(hornet::Spec<UserBehavior> spec) {
    spec.task("index", &UserBehavior::index, 1);
    spec.task("heavy_url", &UserBehavior::heavy_url, 2);
    spec.task("another_heavy_ajax_url", &UserBehavior::another_heavy_ajax_url, 2);
  }
};

class WebsiteUser : public hornet::HttpUser {
 public:
  // The seed ran on Locust 0.x, whose default wait was 1 s between tasks.
  static void define(hornet::Spec<WebsiteUser> spec) {
    spec.wait_time(hornet::constant(1));
    spec.task_set<UserBehavior>();
  }
};

HORNET_USER(WebsiteUser);
