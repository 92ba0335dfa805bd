#include "http/cookie_jar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "http/response_parser.hpp"

namespace hornet::http {
namespace {

constexpr double kNow = 1'700'000'000;  // 2023-11-14: the fake clock

Url url_of(std::string_view text) {
  Result<Url> url = Url::parse(text);
  EXPECT_TRUE(url.ok()) << url.error().message;
  return url.ok() ? std::move(url).value() : Url();
}

// The Cookie header value the jar sends to `url` ("" when none).
std::string cookies_for(const CookieJar& jar, std::string_view url, double now = kNow) {
  std::string out;
  jar.append_cookie_header(out, url_of(url), now);
  if (out.empty()) return out;
  EXPECT_TRUE(out.starts_with("Cookie: ")) << out;
  EXPECT_TRUE(out.ends_with("\r\n")) << out;
  return out.substr(8, out.size() - 10);
}

const Cookie* set(CookieJar& jar, std::string_view url, std::string_view header,
                  double now = kNow) {
  return jar.set_from_header(header, url_of(url), now);
}

// ---------------------------------------------------------------------------------------------
// §5.1.1 dates

TEST(CookieDate, ParsesTheFormatsServersSend) {
  const struct {
    std::string_view date;
    double expected;
  } cases[] = {
      {"Wed, 21 Oct 2015 07:28:00 GMT", 1445412480},      // RFC 1123
      {"Wednesday, 21-Oct-15 07:28:00 GMT", 1445412480},  // RFC 850
      {"Wed Oct 21 07:28:00 2015", 1445412480},           // asctime
      {"21 Oct 2015 07:28:00", 1445412480},
      {"Oct 21 2015 7:28:0", 1445412480},
      {"  ;;Wed,\t21 Oct 2015 07:28:00 GMT+junk", 1445412480},
      {"wed, 21 OCTOBER 2015 07:28:00 gmt", 1445412480},
      {"21 Oct 2015 07:28:00:99", 1445412480},  // hms-time may be followed by non-digits
      {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},
      {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
      {"01-Jan-70 00:00:00", 0},           // 70..99 -> 19xx
      {"01-Jan-69 00:00:00", 3124224000},  // 0..69 -> 20xx
      {"Fri, 31 Dec 9999 23:59:59 GMT", 253402300799},
      {"Mon, 01 Jan 1601 00:00:00 GMT", -11644473600},
      {"29 Feb 2016 00:00:00", 1456704000},
      {"29 Feb 2000 12:00:00", 951825600},
      {"Tue, 19 Jan 2038 03:14:08 GMT", 2147483648},  // past 32-bit time_t
  };
  for (const auto& c : cases) {
    const std::optional<double> parsed = parse_cookie_date(c.date);
    ASSERT_TRUE(parsed.has_value()) << c.date;
    EXPECT_EQ(*parsed, c.expected) << c.date;
  }
}

TEST(CookieDate, RejectsIncompleteAndImpossibleDates) {
  const std::string_view cases[] = {
      "",
      "garbage",
      "21 Oct 2015",            // no time
      "Oct 2015 07:28:00",      // no day
      "21 2015 07:28:00",       // no month
      "21 Oct 07:28:00",        // no year
      "32 Oct 2015 00:00:00",   // day > 31
      "0 Oct 2015 00:00:00",    // day < 1
      "21 Oct 1600 00:00:00",   // year < 1601
      "21 Oct 2015 24:00:00",   // hour > 23
      "21 Oct 2015 23:60:00",   // minute > 59
      "21 Oct 2015 23:59:60",   // second > 59 (no leap seconds)
      "30 Feb 2016 00:00:00",   // the date does not exist
      "29 Feb 2015 00:00:00",   // not a leap year
      "29 Feb 1900 00:00:00",   // not a leap year either
      "31 Apr 2015 00:00:00",   //
      "21 Oct 12015 00:00:00",  // 5-digit year
      "21 Oct 2015 007:28:00",  // 3-digit hour
  };
  for (std::string_view date : cases) {
    EXPECT_EQ(parse_cookie_date(date), std::nullopt) << date;
  }
}

// ---------------------------------------------------------------------------------------------
// §5.2 parsing

TEST(SetCookieParsing, NameValueAndAttributes) {
  CookieJar jar;
  const Cookie* c =
      set(jar, "http://example.com/login",
          " sid = abc def ; Path=/; HttpOnly; Secure; SameSite=Lax; Foo=bar; Priority");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name, "sid");
  EXPECT_EQ(c->value, "abc def");
  EXPECT_EQ(c->domain, "example.com");
  EXPECT_TRUE(c->host_only);
  EXPECT_EQ(c->path, "/");
  EXPECT_TRUE(c->http_only);
  EXPECT_TRUE(c->secure);
  EXPECT_EQ(c->expires, Cookie::kNeverExpires);
}

TEST(SetCookieParsing, ValuesKeepQuotesAndEqualsSigns) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "q=\"quoted value\""), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "token=a=b==; path=/"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "empty="), nullptr);
  EXPECT_EQ(jar.get("q"), "\"quoted value\"");
  EXPECT_EQ(jar.get("token"), "a=b==");
  EXPECT_EQ(jar.get("empty"), "");
}

TEST(SetCookieParsing, NamelessAndMalformedCookiesAreIgnored) {
  CookieJar jar;
  for (std::string_view header :
       {"", "novalue", "=value", "  =value", " ; a=b", "; Path=/", "\t=x; Domain=h.example"}) {
    EXPECT_EQ(set(jar, "http://h.example/", header), nullptr) << header;
  }
  EXPECT_TRUE(jar.empty());
}

TEST(SetCookieParsing, AttributeNamesAreCaseInsensitiveAndLastWins) {
  CookieJar jar;
  const Cookie* c = set(jar, "https://www.example.com/a/b",
                        "a=1; PATH=/x; path=/y; DOMAIN=Example.COM; sEcUrE; HTTPONLY");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->path, "/y");
  EXPECT_EQ(c->domain, "example.com");
  EXPECT_FALSE(c->host_only);
  EXPECT_TRUE(c->secure);
  EXPECT_TRUE(c->http_only);
}

// ---------------------------------------------------------------------------------------------
// Expiry

TEST(CookieExpiry, ExpiresAndMaxAge) {
  CookieJar jar;
  const Cookie* future =
      set(jar, "http://h.example/", "a=1; Expires=Tue, 19 Jan 2038 03:14:08 GMT");
  ASSERT_NE(future, nullptr);
  EXPECT_EQ(future->expires, 2147483648);
  const Cookie* max_age = set(jar, "http://h.example/", "b=1; Max-Age=100");
  ASSERT_NE(max_age, nullptr);
  EXPECT_EQ(max_age->expires, kNow + 100);
  // An unparsable Expires is ignored, leaving a session cookie.
  const Cookie* session = set(jar, "http://h.example/", "c=1; Expires=someday");
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->expires, Cookie::kNeverExpires);
}

TEST(CookieExpiry, MaxAgeTakesPrecedenceWhereverItStands) {
  for (std::string_view header : {"a=1; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
                                  "a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=60"}) {
    CookieJar jar;
    const Cookie* c = set(jar, "http://h.example/", header);
    ASSERT_NE(c, nullptr) << header;
    EXPECT_EQ(c->expires, kNow + 60) << header;
  }
}

TEST(CookieExpiry, InvalidMaxAgeIsIgnored) {
  for (std::string_view max_age : {"abc", "1x", "", "-", "+5", " 5 x", "5.5"}) {
    CookieJar jar;
    const Cookie* c =
        set(jar, "http://h.example/",
            "a=1; Expires=Tue, 19 Jan 2038 03:14:08 GMT; Max-Age=" + std::string(max_age));
    ASSERT_NE(c, nullptr) << max_age;
    EXPECT_EQ(c->expires, 2147483648) << max_age;
  }
}

TEST(CookieExpiry, PastExpiryOrNonPositiveMaxAgeDeletes) {
  for (std::string_view deletion :
       {"sid=; Max-Age=0", "sid=x; Max-Age=-1", "sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "sid=; Max-Age=0; Expires=Tue, 19 Jan 2038 03:14:08 GMT"}) {
    CookieJar jar;
    ASSERT_NE(set(jar, "http://h.example/", "sid=abc"), nullptr);
    ASSERT_NE(set(jar, "http://h.example/", "other=1"), nullptr);
    EXPECT_EQ(set(jar, "http://h.example/", deletion), nullptr) << deletion;
    EXPECT_EQ(jar.get("sid"), std::nullopt) << deletion;
    EXPECT_EQ(jar.size(), 1u) << deletion;
  }
}

TEST(CookieExpiry, DeletionOnlyHitsTheSameNameDomainAndPath) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/a/b", "sid=1; Path=/a"), nullptr);
  EXPECT_EQ(set(jar, "http://h.example/a/b", "sid=; Max-Age=0; Path=/"), nullptr);
  EXPECT_EQ(jar.get("sid"), "1");
  EXPECT_EQ(set(jar, "http://h.example/a/b", "sid=; Max-Age=0; Path=/a"), nullptr);
  EXPECT_TRUE(jar.empty());
}

TEST(CookieExpiry, ExpiredCookiesAreNotSentAndCanBeRemoved) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "short=1; Max-Age=10"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "long=1"), nullptr);
  EXPECT_EQ(cookies_for(jar, "http://h.example/", kNow + 9.5), "short=1; long=1");
  EXPECT_EQ(cookies_for(jar, "http://h.example/", kNow + 10), "long=1");
  EXPECT_EQ(jar.size(), 2u);
  jar.remove_expired(kNow + 10);
  EXPECT_EQ(jar.size(), 1u);
  EXPECT_EQ(jar.get("short"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Domain

TEST(CookieDomain, DomainCookiesGoToTheDomainAndItsSubdomains) {
  CookieJar jar;
  const Cookie* c = set(jar, "http://www.example.com/", "a=1; Domain=.Example.com");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->domain, "example.com");
  EXPECT_FALSE(c->host_only);
  for (std::string_view url : {"http://example.com/", "http://www.example.com/",
                               "http://deep.www.example.com/x", "https://EXAMPLE.com:8443/"}) {
    EXPECT_EQ(cookies_for(jar, url), "a=1") << url;
  }
  for (std::string_view url : {"http://notexample.com/", "http://example.org/",
                               "http://example.com.evil.net/", "http://com/"}) {
    EXPECT_EQ(cookies_for(jar, url), "") << url;
  }
}

TEST(CookieDomain, HostOnlyCookiesGoToThatHostOnly) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://example.com/", "a=1"), nullptr);
  EXPECT_EQ(cookies_for(jar, "http://example.com/"), "a=1");
  EXPECT_EQ(cookies_for(jar, "http://example.com:9000/"), "a=1");  // ports are not compared
  EXPECT_EQ(cookies_for(jar, "http://www.example.com/"), "");
}

TEST(CookieDomain, DomainMustMatchTheRequestHost) {
  const struct {
    std::string_view url;
    std::string_view header;
    bool stored;
    bool host_only;
  } cases[] = {
      {"http://www.example.com/", "a=1; Domain=other.com", false, false},
      {"http://www.example.com/", "a=1; Domain=ww.example.com", false, false},
      {"http://example.com/", "a=1; Domain=www.example.com", false, false},
      {"http://www.example.com/", "a=1; Domain=www.example.com", true, false},
      {"http://www.example.com/", "a=1; Domain=example.com.", false, false},
      // A single label is taken for a public suffix.
      {"http://example.com/", "a=1; Domain=com", false, false},
      {"http://localhost/", "a=1; Domain=localhost", true, true},
      // IP addresses only take host-only cookies.
      {"http://127.0.0.1/", "a=1; Domain=127.0.0.1", true, true},
      {"http://127.0.0.1/", "a=1; Domain=0.0.1", false, false},
      {"http://127.0.0.1/", "a=1", true, true},
      {"http://[::1]:8080/", "a=1; Domain=::1", true, true},
      // Empty values mean no Domain attribute.
      {"http://www.example.com/", "a=1; Domain=", true, true},
      {"http://www.example.com/", "a=1; Domain=.", true, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.url) + " " + std::string(c.header));
    CookieJar jar;
    const Cookie* cookie = set(jar, c.url, c.header);
    ASSERT_EQ(cookie != nullptr, c.stored);
    if (cookie != nullptr) {
      EXPECT_EQ(cookie->host_only, c.host_only);
    }
  }
}

TEST(CookieDomain, IpHostCookiesAreNotSentToOtherAddresses) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://10.0.0.1/", "a=1"), nullptr);
  EXPECT_EQ(cookies_for(jar, "http://10.0.0.1/"), "a=1");
  EXPECT_EQ(cookies_for(jar, "http://110.0.0.1/"), "");
  EXPECT_EQ(cookies_for(jar, "http://0.1/"), "");
}

// ---------------------------------------------------------------------------------------------
// Path

TEST(CookiePath, DefaultPathIsTheRequestDirectory) {
  const struct {
    std::string_view url;
    std::string_view header;
    std::string_view path;
  } cases[] = {
      {"http://h.example/a/b/c", "x=1", "/a/b"},
      {"http://h.example/a/b/", "x=1", "/a/b"},
      {"http://h.example/a", "x=1", "/"},
      {"http://h.example/", "x=1", "/"},
      {"http://h.example/a/b?q=/z/z", "x=1", "/a"},
      {"http://h.example/a/b/c", "x=1; Path=relative", "/a/b"},
      {"http://h.example/a/b/c", "x=1; Path=", "/a/b"},
      {"http://h.example/a/b/c", "x=1; Path=/explicit/", "/explicit/"},
      {"http://h.example/a/b/c", "x=1; Path=/elsewhere", "/elsewhere"},
  };
  for (const auto& c : cases) {
    CookieJar jar;
    const Cookie* cookie = set(jar, c.url, c.header);
    ASSERT_NE(cookie, nullptr);
    EXPECT_EQ(cookie->path, c.path) << c.url << " " << c.header;
  }
}

TEST(CookiePath, PathMatching) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "docs=1; Path=/docs"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "slash=1; Path=/api/"), nullptr);
  const struct {
    std::string_view path;
    std::string_view expected;
  } cases[] = {
      {"/docs", "docs=1"},  {"/docs/", "docs=1"},   {"/docs/web?x", "docs=1"},
      {"/doc", ""},         {"/docsets", ""},       {"/", ""},
      {"/api/", "slash=1"}, {"/api/v1", "slash=1"}, {"/api", ""},
      {"/DOCS", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cookies_for(jar, "http://h.example" + std::string(c.path)), c.expected) << c.path;
  }
}

// ---------------------------------------------------------------------------------------------
// Secure, replacement and order

TEST(CookieJar, SecureCookiesOnlyOverHttps) {
  CookieJar jar;
  ASSERT_NE(set(jar, "https://h.example/", "s=1; Secure"), nullptr);
  ASSERT_NE(set(jar, "https://h.example/", "p=1"), nullptr);
  EXPECT_EQ(cookies_for(jar, "https://h.example/"), "s=1; p=1");
  EXPECT_EQ(cookies_for(jar, "http://h.example/"), "p=1");
}

TEST(CookieJar, SameNameDomainAndPathReplacesKeepingCreationOrder) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "a=1"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "b=1"), nullptr);
  const Cookie* replaced = set(jar, "http://h.example/", "a=2; HttpOnly");
  ASSERT_NE(replaced, nullptr);
  EXPECT_TRUE(replaced->http_only);
  EXPECT_EQ(jar.size(), 2u);
  EXPECT_EQ(cookies_for(jar, "http://h.example/"), "a=2; b=1");
}

TEST(CookieJar, LongerPathsFirstThenEarlierCreation) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "root1=1; Path=/"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "deep=1; Path=/long/path"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "mid=1; Path=/long"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "root2=1; Path=/"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "same=1; Path=/long"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "root1=2; Path=/long/path"), nullptr);
  EXPECT_EQ(cookies_for(jar, "http://h.example/long/path/x"),
            "deep=1; root1=2; mid=1; same=1; root1=1; root2=1");
  EXPECT_EQ(cookies_for(jar, "http://h.example/long"), "mid=1; same=1; root1=1; root2=1");
  // Iteration is in the same order.
  std::vector<std::string> names;
  for (const Cookie& c : jar) names.push_back(c.name + "=" + c.value);
  EXPECT_EQ(names, (std::vector<std::string>{"deep=1", "root1=2", "mid=1", "same=1", "root1=1",
                                             "root2=1"}));
}

TEST(CookieJar, EmptyOrUnmatchedJarWritesNothing) {
  CookieJar jar;
  std::string out = "GET / HTTP/1.1\r\n";
  jar.append_cookie_header(out, url_of("http://h.example/"), kNow);
  EXPECT_EQ(out, "GET / HTTP/1.1\r\n");
  ASSERT_NE(set(jar, "http://other.example/", "a=1"), nullptr);
  jar.append_cookie_header(out, url_of("http://h.example/"), kNow);
  EXPECT_EQ(out, "GET / HTTP/1.1\r\n");
}

TEST(CookieJar, RequestCookiesJoinTheJarsAndReplaceThoseOfTheSameName) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "session=jar"), nullptr);
  ASSERT_NE(set(jar, "http://h.example/", "keep=1"), nullptr);
  Fields request;
  request.add("session", "request");
  request.add("extra", "2");
  std::string out;
  jar.append_cookie_header(out, url_of("http://h.example/"), kNow, &request);
  EXPECT_EQ(out, "Cookie: keep=1; session=request; extra=2\r\n");
  // A jar with nothing for the URL still sends the request's own.
  CookieJar empty;
  out.clear();
  empty.append_cookie_header(out, url_of("http://h.example/"), kNow, &request);
  EXPECT_EQ(out, "Cookie: session=request; extra=2\r\n");
}

TEST(CookieJar, HeaderAppendsWithoutReallocatingAWarmBuffer) {
  CookieJar jar;
  for (std::string_view header : {"a=1", "b=22", "session=abcdef0123456789"}) {
    ASSERT_NE(set(jar, "http://h.example/", header), nullptr);
  }
  const Url url = url_of("http://h.example/page");
  std::string out;
  jar.append_cookie_header(out, url, kNow);
  EXPECT_EQ(out, "Cookie: a=1; b=22; session=abcdef0123456789\r\n");
  const char* storage = out.data();
  for (int i = 0; i < 10; ++i) {
    out.clear();
    jar.append_cookie_header(out, url, kNow);
    ASSERT_EQ(out.data(), storage);
  }
}

// ---------------------------------------------------------------------------------------------
// The session-facing API

TEST(CookieJar, SetGetAndClear) {
  CookieJar jar;
  ASSERT_TRUE(jar.set("any", "1").ok());
  ASSERT_TRUE(jar.set("dom", "2", ".Example.com").ok());
  ASSERT_TRUE(jar.set("api", "3", "", "/api").ok());
  ASSERT_TRUE(jar.set("rootless", "4", "", "").ok());
  EXPECT_EQ(jar.get("any"), "1");
  EXPECT_EQ(jar.get("missing"), std::nullopt);
  EXPECT_EQ(cookies_for(jar, "http://unrelated.test/"), "any=1; rootless=4");
  EXPECT_EQ(cookies_for(jar, "http://www.example.com/api/x"), "api=3; any=1; dom=2; rootless=4");
  // set() replaces like a Set-Cookie with the same name, domain and path.
  ASSERT_TRUE(jar.set("any", "9").ok());
  EXPECT_EQ(jar.get("any"), "9");
  EXPECT_EQ(jar.size(), 4u);
  jar.clear();
  EXPECT_TRUE(jar.empty());
  EXPECT_EQ(cookies_for(jar, "http://unrelated.test/"), "");
}

TEST(CookieJar, SetRejectsWhatWouldCorruptTheHeader) {
  CookieJar jar;
  const struct {
    std::string name;
    std::string value;
    std::string_view error;
  } cases[] = {
      {"", "v", "invalid cookie name ''"},
      {"a=b", "v", "invalid cookie name 'a=b'"},
      {"a;b", "v", "invalid cookie name 'a;b'"},
      {" a", "v", "invalid cookie name ' a'"},
      {"a\r\n", "v", "invalid cookie name 'a\\x0d\\x0a'"},
      {"a", "x;y", "invalid value for cookie 'a'"},
      {"a", "x\r\nSet-Cookie: evil", "invalid value for cookie 'a'"},
  };
  for (const auto& c : cases) {
    Result<void> result = jar.set(c.name, c.value);
    ASSERT_FALSE(result.ok()) << c.error;
    EXPECT_NE(result.error().message.find(c.error), std::string::npos) << result.error().message;
  }
  EXPECT_TRUE(jar.empty());
}

TEST(CookieJar, StoreResponseCookiesReportsWhatWasAccepted) {
  ResponseParser parser;
  ASSERT_EQ(parser
                .parse("HTTP/1.1 200 OK\r\n"
                       "Set-Cookie: csrftoken=abc; Path=/\r\n"
                       "Set-Cookie: =nameless\r\n"
                       "Set-Cookie: foreign=1; Domain=other.example\r\n"
                       "Set-Cookie: old=; Max-Age=0\r\n"
                       "set-cookie: sessionid=xyz; HttpOnly\r\n"
                       "Content-Length: 0\r\n\r\n")
                .state,
            ParseState::kComplete);
  CookieJar jar;
  ASSERT_TRUE(jar.set("old", "1", "h.example").ok());
  Fields accepted;
  jar.store_response_cookies(parser.head(), url_of("http://h.example/accounts/login/"), kNow,
                             &accepted);
  std::vector<std::pair<std::string, std::string>> got(accepted.begin(), accepted.end());
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"csrftoken", "abc"},
                                                                   {"sessionid", "xyz"}}));
  // The deletion's default path is /accounts/login, not the stored cookie's "/": kept.
  EXPECT_EQ(jar.get("old"), "1");
  EXPECT_EQ(cookies_for(jar, "http://h.example/accounts/login/"),
            "sessionid=xyz; old=1; csrftoken=abc");
  // Without an output list it stores just the same; and it reads the public ResponseHeaders
  // a head becomes once handed to a Response.
  ResponseHead head;
  parser.take_head(head);
  const ResponseHeaders headers = head.take_headers();
  CookieJar other;
  other.store_response_cookies(headers, url_of("http://h.example/"), kNow);
  EXPECT_EQ(other.size(), 2u);
  EXPECT_EQ(other.get("sessionid"), "xyz");
}

TEST(CookieJar, EvictsTheOldestWhenFull) {
  CookieJar jar;
  ASSERT_NE(set(jar, "http://h.example/", "expired=1; Max-Age=1"), nullptr);
  for (std::size_t i = 1; i < CookieJar::kMaxCookies; ++i) {
    ASSERT_NE(set(jar, "http://h.example/", "c" + std::to_string(i) + "=1"), nullptr);
  }
  EXPECT_EQ(jar.size(), CookieJar::kMaxCookies);
  // At kNow + 5 the first cookie has expired: it goes first.
  ASSERT_NE(set(jar, "http://h.example/", "new1=1", kNow + 5), nullptr);
  EXPECT_EQ(jar.size(), CookieJar::kMaxCookies);
  EXPECT_EQ(jar.get("expired"), std::nullopt);
  EXPECT_EQ(jar.get("c1"), "1");
  // Then the oldest live one.
  ASSERT_NE(set(jar, "http://h.example/", "new2=1", kNow + 5), nullptr);
  EXPECT_EQ(jar.size(), CookieJar::kMaxCookies);
  EXPECT_EQ(jar.get("c1"), std::nullopt);
  EXPECT_EQ(jar.get("c2"), "1");
  EXPECT_EQ(jar.get("new2"), "1");
}

}  // namespace
}  // namespace hornet::http
