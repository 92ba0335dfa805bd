// The feature scenario of the integration tests: one user class per feature, selected by name on
// the command line (`itest_features -H URL CookieUser ...`), run against tests/integration's
// Python test server (itest_server.py), which records every request it receives.
//
// Conventions the tests rely on:
//   - Every user sends `X-Itest-User: <Class>-<n>` on every request (n unique in the process), so
//     the server can tell users apart and check the order of one user's requests.
//   - Most classes run a fixed list of steps (one step per task run) and then stop with StopUser;
//     their on_stop sends `GET /marker/stopped`. A test waits until the server has seen one
//     marker per user, then ends the run with SIGINT: by then every step has been recorded.
//   - Checks the scenario makes itself (cookies it was given, decoded bodies) go through
//     catch_response: a failed check is a failure with a message in the failures CSV.
// Request options are chained builders, never designated initialisers (see <hornet/http.hpp>).
#include <hornet/hornet.hpp>
#include <hornet/json.hpp>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

using hornet::Response;
using hornet::Task;

namespace {

std::atomic<int> g_next_user_id{0};

// The bodies of the server's /content/<kind> routes (itest_server.py's content_body()).
std::string content_body(std::string_view kind) {
  std::string out;
  for (int i = 0; i < 3000; ++i) {
    out += kind;
    out += " line ";
    out += std::to_string(i);
    out += '\n';
  }
  return out;
}

// Marks a catch_response request a success if `ok`, else a failure saying `what`.
void check(Response& response, bool ok, const std::string& what) {
  if (ok) {
    response.success();
  } else {
    response.failure(what + " (status " + std::to_string(response.status_code()) + ")");
  }
}

}  // namespace

// A user with an id in X-Itest-User on every request and a marker request in on_stop.
class TracedUser : public hornet::HttpUser {
 public:
  Task<> on_start() override {
    client().headers().set("X-Itest-User",
                           class_name() + "-" + std::to_string(++g_next_user_id));
    co_return;
  }
  Task<> on_stop() override { co_await client().get("/marker/stopped"); }
};

// A user that runs steps 0 .. steps()-1, one per task run, then stops (StopUser).
class StepUser : public TracedUser {
 public:
  Task<> next_step() {
    const int i = step_++;
    if (i >= steps()) throw hornet::StopUser{};
    co_await step(i);
  }

 protected:
  virtual int steps() const = 0;
  virtual Task<> step(int i) = 0;

 private:
  int step_ = 0;
};

// --- Cookies: the jar sends them back (RFC 6265 rules), response.cookies() shows them ---------

class CookieUser : public StepUser {
 protected:
  int steps() const override { return 6; }
  Task<> step(int i) override {
    switch (i) {
      case 0: {
        auto r = co_await client()
                     .get("/cookies/set")
                     .param("session", "abc")
                     .param("theme", "dark")
                     .name("/cookies/set")
                     .catch_response();
        check(r, r.cookies().get("session") == "abc" && r.cookies().get("theme") == "dark",
              "response.cookies() lacks session=abc or theme=dark");
        break;
      }
      case 1:
        // Sets scoped (Path=/cookies/deep), secure (Secure), httponly (HttpOnly), expired
        // (Expires in 1970), gone, foreign (Domain=example.com), theme=light.
        co_await client().get("/cookies/attrs");
        break;
      case 2:
        co_await client().get("/cookies/delete");  // gone=; Max-Age=0
        break;
      case 3: {
        client().set_cookie("manual", "m");
        auto r = co_await client().get("/cookies/echo").catch_response();
        check(r, client().cookie("session") == "abc" && client().cookie("theme") == "light" &&
                     !client().cookie("gone") && !client().cookie("expired"),
              "session cookie jar content");
        break;
      }
      case 4:
        co_await client().get("/cookies/deep/echo");
        break;
      case 5:
        // A 302 that sets a cookie: the redirected request must carry it.
        co_await client().get("/cookies/redirect");
        break;
    }
  }

 public:
  static void define(hornet::Spec<CookieUser> spec) {
    spec.task("cookies", &StepUser::next_step);
  }
};
HORNET_USER(CookieUser);

// --- Redirects: method rewriting as requests does, the limit, allow_redirects(false) ----------

class RedirectUser : public StepUser {
 protected:
  int steps() const override { return 13; }
  Task<> step(int i) override {
    static const int kCodes[] = {301, 302, 303, 307, 308};
    if (i < 5) {
      // POST with a form body to /redirect/<code>, which redirects to /landing/<code>.
      const std::string path = "/redirect/" + std::to_string(kCodes[i]);
      const std::string landing = "/landing/" + std::to_string(kCodes[i]);
      auto r = co_await client().post(path).form({{"a", "1"}}).catch_response();
      check(r,
            r.status_code() == 200 && r.text() == "landed" &&
                std::string_view(r.url()).ends_with(landing),
            "redirect " + std::to_string(kCodes[i]) + " final url " + r.url());
      co_return;
    }
    switch (i) {
      case 5:
        co_await client().put("/redirect/301").body("put-body", "text/plain");
        break;
      case 6:
        co_await client().put("/redirect/302").body("put-body", "text/plain");
        break;
      case 7:
        co_await client().head("/redirect/303");
        break;
      case 8:
        co_await client().get("/loop/0");  // redirects forever
        break;
      case 9: {
        // Basic credentials follow a redirect to the same origin...
        auto r = co_await client()
                     .get("/redirect-to")
                     .param("to", "/basic")
                     .auth("user", "pa:ss")
                     .name("auth-same-origin")
                     .catch_response();
        r.success();
        break;
      }
      case 10: {
        // ...but not to another port ($ITEST_OTHER_URL, a second server), as in requests.
        const char* other = std::getenv("ITEST_OTHER_URL");
        const std::string to = std::string(other != nullptr ? other : "") + "/basic";
        auto r = co_await client()
                     .get("/redirect-to")
                     .param("to", to)
                     .auth("user", "pa:ss")
                     .name("auth-other-origin")
                     .catch_response();
        r.success();
        break;
      }
      case 11: {
        // A relative Location, resolved against the URL that answered it.
        auto r = co_await client().get("/relative/a/b").catch_response();
        check(r, std::string_view(r.url()).ends_with("/relative/c?x=1") && r.text() == "ok",
              "relative redirect to " + r.url());
        break;
      }
      case 12: {
        auto r = co_await client()
                     .get("/redirect/302")
                     .allow_redirects(false)
                     .name("no-follow")
                     .catch_response();
        check(r, r.status_code() == 302 && r.header("Location") == "/landing/302",
              "allow_redirects(false)");
        break;
      }
    }
  }

 public:
  static void define(hornet::Spec<RedirectUser> spec) {
    spec.task("redirects", &StepUser::next_step);
  }
};
HORNET_USER(RedirectUser);

// --- Query parameters, bodies, methods, headers, Basic auth, Response::json() -----------------

class RequestUser : public StepUser {
 protected:
  int steps() const override { return 12; }
  Task<> step(int i) override {
    if (i == 0) client().headers().set("X-Session-Default", "on");
    switch (i) {
      case 0:
        co_await client()
            .get("/echo/params?fixed=1")
            .param("q", "a b&c")
            .param("n", "1")
            .param("odd", "x+y/z~\u00e9=%");
        break;
      case 1:
        co_await client().post("/echo/form").form(
            {{"user", "ann"}, {"note", "x=y&z"}, {"odd", "a+b c/\u00e9%"}});
        break;
      case 2:
        co_await client().post("/echo/json").json(R"({"k":[1,2],"s":"v"})");
        break;
      case 3:
        co_await client().put("/echo/raw").body("raw-bytes", "text/plain");
        break;
      case 4:
        co_await client().patch("/echo/patch").json(R"({"p":true})");
        break;
      case 5:
        co_await client().delete_("/echo/delete");
        break;
      case 6:
        co_await client().options("/echo/options");
        break;
      case 7:
        co_await client().head("/echo/head");
        break;
      case 8:
        co_await client()
            .get("/echo/headers")
            .header("X-Custom", "yes")
            .header("user-agent", "itest-agent");
        break;
      case 9:
        co_await client().get("/basic").auth("user", "pa:ss").name("basic");
        break;
      case 10:
        co_await client().get("/basic").name("basic-none");  // 401
        break;
      case 11: {
        auto r = co_await client().get("/echo/json-response").catch_response();
        bool ok = false;
        try {
          const auto document = r.json();
          ok = document.at("method") == "GET" && document.at("path") == "/echo/json-response" &&
               r.header("content-type") == "application/json";
        } catch (const std::exception&) {
          ok = false;
        }
        check(r, ok, "Response::json()");
        break;
      }
    }
  }

 public:
  static void define(hornet::Spec<RequestUser> spec) {
    spec.task("requests", &StepUser::next_step);
  }
};
HORNET_USER(RequestUser);

// --- name= grouping --------------------------------------------------------------------------

class NameUser : public StepUser {
 protected:
  int steps() const override { return 10; }
  Task<> step(int i) override {
    if (i < 5) {
      const std::string path = "/item?id=" + std::to_string(i + 1);
      co_await client().get(path).name("/item?id=[id]");
    } else if (i == 5) {
      co_await client().get("/item?id=6");
    } else if (i == 6) {
      co_await client().get("/status/404?x=1").name("/status/[code]");
    } else if (i == 7) {
      // Names that CSV must quote, and one that is not ASCII.
      co_await client().get("/item?id=7").name("/quoted, \"name\"");
    } else if (i == 8) {
      co_await client().get("/item?id=8").name("/caf\u00e9 \u00fcber");
    } else {
      co_await client().get("/status/404").name("/it's \"404\"");
    }
  }

 public:
  static void define(hornet::Spec<NameUser> spec) { spec.task("names", &StepUser::next_step); }
};
HORNET_USER(NameUser);

// --- catch_response: success, failure, the default, and an exception inside -------------------

class CatchUser : public StepUser {
 protected:
  int steps() const override { return 6; }
  Task<> step(int i) override {
    switch (i) {
      case 0: {
        auto r = co_await client().get("/status/404").name("/catch/success-on-404").catch_response();
        r.success();
        break;
      }
      case 1: {
        auto r = co_await client().get("/ok").name("/catch/failure-on-200").catch_response();
        r.failure("wrong body");
        break;
      }
      case 2: {
        auto r = co_await client().get("/status/500").catch_response();  // neither: the status
        break;
      }
      case 3: {
        auto r = co_await client().get("/ok").name("/catch/default-ok").catch_response();
        break;
      }
      case 4: {
        // Neither success nor failure, then an exception: the request is not reported.
        auto r = co_await client().get("/ok").name("/catch/thrown").catch_response();
        throw std::runtime_error("thrown inside catch_response");
      }
      case 5: {
        // Decided, then an exception: reported as decided, and the exception counted.
        auto r = co_await client().get("/ok").name("/catch/success-then-thrown").catch_response();
        r.success();
        throw std::runtime_error("thrown after success");
      }
    }
  }

 public:
  static void define(hornet::Spec<CatchUser> spec) { spec.task("catch", &StepUser::next_step); }
};
HORNET_USER(CatchUser);

// --- Exceptions from tasks: counted with message and where; the user carries on --------------

class ExceptionUser : public StepUser {
 protected:
  int steps() const override { return 4; }
  Task<> step(int i) override {
    co_await client().get("/exc/before");
    if (i < 3) throw std::runtime_error("boom from explode");
    throw 42;  // not a std::exception
  }

 public:
  static void define(hornet::Spec<ExceptionUser> spec) {
    spec.task("explode", &StepUser::next_step);
  }
};
HORNET_USER(ExceptionUser);

class NestedExceptionUser;

class ExplodingSet : public hornet::TaskSet {
 public:
  Task<> detonate();
  static void define(hornet::Spec<ExplodingSet> spec) {
    spec.task("detonate", &ExplodingSet::detonate);
  }
};

class NestedExceptionUser : public TracedUser {
 public:
  int detonations = 0;
  static void define(hornet::Spec<NestedExceptionUser> spec) { spec.task_set<ExplodingSet>(); }
};
HORNET_USER(NestedExceptionUser);

Task<> ExplodingSet::detonate() {
  auto& owner = static_cast<NestedExceptionUser&>(user());
  if (owner.detonations++ >= 2) throw hornet::StopUser{};
  co_await client().get("/exc/nested");
  throw std::logic_error("nested boom");
}

// --- StopUser: the user stops for good, on_stop runs ------------------------------------------

class StopperUser : public StepUser {
 public:
  Task<> on_start() override {
    co_await TracedUser::on_start();
    co_await client().get("/stop/start");
  }
  Task<> on_stop() override {
    co_await client().get("/stop/on_stop");
    co_await TracedUser::on_stop();
  }
  static void define(hornet::Spec<StopperUser> spec) {
    spec.task("stopper", &StepUser::next_step);
  }

 protected:
  int steps() const override { return 2; }
  Task<> step(int) override { co_await client().get("/stop/task"); }
};
HORNET_USER(StopperUser);

// StopUser from inside a nested TaskSet: the set's on_stop, then the user's.
class StoppingSet : public hornet::TaskSet {
 public:
  Task<> on_stop() override { co_await client().get("/stop/set_on_stop"); }
  Task<> work() {
    co_await client().get("/stop/nested_task");
    throw hornet::StopUser{};
  }
  static void define(hornet::Spec<StoppingSet> spec) { spec.task("work", &StoppingSet::work); }
};

class NestedStopperUser : public TracedUser {
 public:
  static void define(hornet::Spec<NestedStopperUser> spec) { spec.task_set<StoppingSet>(); }
};
HORNET_USER(NestedStopperUser);

// --- A nested TaskSet left with interrupt() ---------------------------------------------------

class InterruptUser;

class InnerSet : public hornet::TaskSet {
 public:
  Task<> on_start() override;
  Task<> on_stop() override { co_await client().get("/int/inner_stop"); }
  Task<> work();
  static void define(hornet::Spec<InnerSet> spec) { spec.task("work", &InnerSet::work); }
};

class InterruptUser : public TracedUser {
 public:
  int rounds = 0;
  // The wait matters only after interrupt(false) (round 2): interrupt() reschedules at once.
  static void define(hornet::Spec<InterruptUser> spec) {
    spec.wait_time(hornet::constant(1.0)).task_set<InnerSet>();
  }
};

Task<> InnerSet::work() {
  co_await client().get("/int/inner_task");
  interrupt(static_cast<InterruptUser&>(user()).rounds != 2);
}
HORNET_USER(InterruptUser);

Task<> InnerSet::on_start() {
  auto& owner = static_cast<InterruptUser&>(user());
  if (owner.rounds++ >= 3) throw hornet::StopUser{};
  co_await client().get("/int/inner_start");
}

// --- SequentialTaskSet: declaration order, weight = repetitions -------------------------------

class SequentialUser;

class Steps : public hornet::SequentialTaskSet {
 public:
  Task<> a() { co_await hit("a"); }
  Task<> b() { co_await hit("b"); }
  Task<> c() { co_await hit("c"); }
  Task<> hit(std::string which);
  // The set's own wait (the user has none).
  static void define(hornet::Spec<Steps> spec) {
    spec.wait_time(hornet::constant(0.2));
    spec.task("a", &Steps::a, 2);
    spec.task("b", &Steps::b);
    spec.task("c", &Steps::c);
  }
};

class SequentialUser : public TracedUser {
 public:
  int hits = 0;
  static void define(hornet::Spec<SequentialUser> spec) { spec.task_set<Steps>(); }
};
HORNET_USER(SequentialUser);

Task<> Steps::hit(std::string which) {
  auto& owner = static_cast<SequentialUser&>(user());
  if (owner.hits++ >= 8) throw hornet::StopUser{};
  const std::string path = "/seq/" + which;
  co_await client().get(path);
}

// --- Tags: --tags / --exclude-tags ------------------------------------------------------------

class TagUser;

class GreenSet : public hornet::TaskSet {
 public:
  Task<> leaf();
  static void define(hornet::Spec<GreenSet> spec) {
    spec.tag("green");
    spec.task("leaf", &GreenSet::leaf);
  }
};

class TagUser : public TracedUser {
 public:
  int hits = 0;
  Task<> hit(std::string which) {
    if (hits++ >= 100) throw hornet::StopUser{};
    const std::string path = "/tag/" + which;
    co_await client().get(path);
  }
  Task<> red() { co_await hit("red"); }
  Task<> blue() { co_await hit("blue"); }
  Task<> both() { co_await hit("both"); }
  Task<> untagged() { co_await hit("untagged"); }
  static void define(hornet::Spec<TagUser> spec) {
    spec.task("red", &TagUser::red).tag("red");
    spec.task("blue", &TagUser::blue).tag("blue");
    spec.task("both", &TagUser::both).tag("red", "blue");
    spec.task("untagged", &TagUser::untagged);
    spec.task_set<GreenSet>();
  }
};
HORNET_USER(TagUser);

Task<> GreenSet::leaf() {
  co_await static_cast<TagUser&>(user()).hit("green");
  interrupt();
}

// --- Several user classes: weight, fixed_count, selection by name -----------------------------

class ClassUser : public StepUser {
 public:
  Task<> on_start() override {
    co_await TracedUser::on_start();
    const std::string path = "/class/" + class_name();
    co_await client().get(path);
  }

 protected:
  int steps() const override { return 0; }
  Task<> step(int) override { co_return; }
};

class WeightA : public ClassUser {
 public:
  static void define(hornet::Spec<WeightA> spec) {
    spec.weight(3).task("run", &StepUser::next_step);
  }
};
HORNET_USER(WeightA);

class WeightB : public ClassUser {
 public:
  static void define(hornet::Spec<WeightB> spec) {
    spec.weight(1).task("run", &StepUser::next_step);
  }
};
HORNET_USER(WeightB);

class Fixed : public ClassUser {
 public:
  static void define(hornet::Spec<Fixed> spec) {
    spec.fixed_count(1).task("run", &StepUser::next_step);
  }
};
HORNET_USER(Fixed);

// --- Wait times: each user requests /wait/<kind> in a loop ------------------------------------

class ConstantWaitUser : public TracedUser {
 public:
  Task<> run() { co_await client().get("/wait/constant"); }
  static void define(hornet::Spec<ConstantWaitUser> spec) {
    spec.wait_time(hornet::constant(0.4)).task("run", &ConstantWaitUser::run);
  }
};
HORNET_USER(ConstantWaitUser);

class BetweenWaitUser : public TracedUser {
 public:
  Task<> run() { co_await client().get("/wait/between"); }
  static void define(hornet::Spec<BetweenWaitUser> spec) {
    spec.wait_time(hornet::between(0.2, 0.3)).task("run", &BetweenWaitUser::run);
  }
};
HORNET_USER(BetweenWaitUser);

class PacingUser : public TracedUser {
 public:
  // The server answers after 0.3 s: paced at 0.4 s, tasks start every 0.4 s (not 0.7 s).
  Task<> run() { co_await client().get("/wait/pacing?delay=0.3"); }
  static void define(hornet::Spec<PacingUser> spec) {
    spec.wait_time(hornet::constant_pacing(0.4)).task("run", &PacingUser::run);
  }
};
HORNET_USER(PacingUser);

// --- Content codings and framing: the decoded text must be exact ------------------------------

class ContentUser : public StepUser {
 protected:
  int steps() const override { return 8; }
  Task<> step(int i) override {
    static const char* kKinds[] = {"gzip",        "deflate",      "deflate-raw", "chunked",
                                   "chunked-gzip", "close-delimited", "identity"};
    if (i < 7) {
      const std::string kind = kKinds[i];
      const std::string path = "/content/" + kind;
      auto r = co_await client().get(path).catch_response();
      const std::string expected = content_body(kind);
      check(r, r.status_code() == 200 && r.text() == expected,
            "body of " + path + ": " + std::to_string(r.text().size()) + " bytes, expected " +
                std::to_string(expected.size()));
    } else {
      co_await client().get("/content/bad-gzip");  // Content-Encoding: gzip, body is not
    }
  }

 public:
  static void define(hornet::Spec<ContentUser> spec) {
    spec.task("content", &StepUser::next_step);
  }
};
HORNET_USER(ContentUser);

// --- HTTP/1.1 edge cases: each response is followed by a request on the same session whose
// answer must be its own (a connection left in a bad state would hand it someone else's) ------

class EdgeUser : public StepUser {
 protected:
  struct Case {
    const char* kind;
    int status;
    const char* text;  // nullptr: not checked
    double pause;      // seconds to wait before the follow-up request
  };
  static constexpr Case kCases[] = {
      {"continue", 200, "ok", 0},         // a 100 Continue before the response
      {"no-reason", 200, "ok", 0},        // "HTTP/1.1 200" without a reason phrase
      {"204", 204, "", 0},                // no body, no Content-Length
      {"304", 304, "", 0},                // Content-Length: 10 but no body, by definition
      {"extra-bytes", 200, "first", 0},   // a second, unrequested response after the first
      {"http10", 200, "ok", 0},           // HTTP/1.0 response, closes
      {"conn-close", 200, "ok", 0},       // Connection: close
      {"stale", 200, "ok", 0.3},          // keep-alive, but the server closes 50 ms later
      {"lf-only", 200, "ok", 0},          // bare LF line endings
      {"big", 200, nullptr, 0},           // 8 MiB
  };
  static constexpr int kCount = sizeof(kCases) / sizeof(kCases[0]);

  int steps() const override { return 2 * kCount; }
  Task<> step(int i) override {
    const Case& c = kCases[i / 2];
    const std::string kind = c.kind;
    if (i % 2 == 0) {
      const std::string path = "/edge/" + kind;
      auto r = co_await client().get(path).catch_response();
      bool ok = r.status_code() == c.status;
      if (c.text != nullptr) ok = ok && r.text() == c.text;
      if (kind == "big") ok = ok && r.text().size() == 8u * 1024 * 1024;
      check(r, ok, path + ": " + std::to_string(r.text().size()) + " bytes " + r.error());
    } else {
      if (c.pause > 0) co_await sleep(c.pause);
      const std::string path = "/edge/after/" + kind;
      auto r = co_await client().get(path).name("/edge/after").catch_response();
      check(r, r.status_code() == 200 && r.text() == "after " + kind,
            "after " + kind + ": got '" + r.text().substr(0, 40) + "' " + r.error());
    }
  }

 public:
  static void define(hornet::Spec<EdgeUser> spec) { spec.task("edges", &StepUser::next_step); }
};
HORNET_USER(EdgeUser);

// --- RescheduleTask / RescheduleTaskImmediately, and a failing on_start ------------------------

class ControlFlowUser : public StepUser {
 protected:
  int steps() const override { return 4; }
  Task<> step(int i) override {
    static const char* kPaths[] = {"/cf/immediate", "/cf/reschedule", "/cf/normal", "/cf/end"};
    co_await client().get(kPaths[i]);
    if (i == 0) throw hornet::RescheduleTaskImmediately{};  // the next task at once
    if (i == 1) throw hornet::RescheduleTask{};             // like a return: wait first
  }

 public:
  static void define(hornet::Spec<ControlFlowUser> spec) {
    spec.wait_time(hornet::constant(1.0)).task("flow", &StepUser::next_step);
  }
};
HORNET_USER(ControlFlowUser);

class OnStartFailUser : public hornet::HttpUser {
 public:
  Task<> on_start() override {
    co_await client().get("/onstart/begin");
    throw std::runtime_error("on_start failed");
  }
  Task<> on_stop() override { co_await client().get("/onstart/on_stop"); }
  Task<> work() { co_await client().get("/onstart/task"); }
  static void define(hornet::Spec<OnStartFailUser> spec) {
    spec.task("work", &OnStartFailUser::work);
  }
};
HORNET_USER(OnStartFailUser);
