// The cookie jar's per-request work: the Cookie header for a request (every request of the
// seed-like case carries one), with the seed's two cookies and with a fuller jar of 20 cookies
// over several domains and paths; and storing a Set-Cookie (once per login, or per response on
// sites that refresh cookies).
#include <benchmark/benchmark.h>

#include <string>

#include "http/cookie_jar.hpp"
#include "http/url.hpp"

namespace {

using hornet::http::CookieJar;
using hornet::http::Url;

constexpr double kNow = 1.8e9;

Url url_of(std::string_view text) {
  auto url = Url::parse(text);
  if (!url) std::abort();
  return std::move(url).value();
}

void BM_CookieHeaderTwoCookies(benchmark::State& state) {
  const Url login = url_of("http://127.0.0.1:8080/accounts/login/");
  CookieJar jar;
  jar.set_from_header("csrftoken=Xk3vN9qR2mT7wL5pY8sD4fH6jB1cZ0aE; Path=/; SameSite=Lax", login,
                      kNow);
  jar.set_from_header("sessionid=q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3; Path=/; HttpOnly", login, kNow);
  const Url target = url_of("http://127.0.0.1:8080/heavy_url/");
  std::string out;
  for (auto _ : state) {
    out.clear();
    jar.append_cookie_header(out, target, kNow);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.find("sessionid=") == std::string::npos) state.SkipWithError("no Cookie header");
}
BENCHMARK(BM_CookieHeaderTwoCookies);

void BM_CookieHeaderTwentyCookies(benchmark::State& state) {
  const Url origin = url_of("https://www.example.com/shop/cart/view");
  CookieJar jar;
  for (int i = 0; i < 20; ++i) {
    std::string header = "c";
    header.append(std::to_string(i)).append("=value-").append(std::to_string(i * 7919));
    switch (i % 4) {
      case 0:
        header += "; Path=/";
        break;
      case 1:
        header += "; Path=/shop; Domain=example.com";
        break;
      case 2:
        header += "; Path=/admin";
        break;  // does not match the request path
      case 3:
        header += "; Path=/; Secure; Max-Age=3600";
        break;
    }
    jar.set_from_header(header, origin, kNow);
  }
  const Url target = url_of("https://www.example.com/shop/item/42");
  std::string out;
  for (auto _ : state) {
    out.clear();
    jar.append_cookie_header(out, target, kNow);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.empty()) state.SkipWithError("no Cookie header");
}
BENCHMARK(BM_CookieHeaderTwentyCookies);

void BM_SetCookieReplace(benchmark::State& state) {
  const Url login = url_of("http://127.0.0.1:8080/accounts/login/");
  CookieJar jar;
  for (auto _ : state) {
    benchmark::DoNotOptimize(jar.set_from_header(
        "sessionid=q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3; Path=/; HttpOnly; SameSite=Lax", login, kNow));
  }
}
BENCHMARK(BM_SetCookieReplace);

}  // namespace
