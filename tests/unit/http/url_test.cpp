#include "http/url.hpp"

#include <gtest/gtest.h>

#include <hornet/http.hpp>
#include <string>
#include <utility>
#include <vector>

namespace hornet::http {
namespace {

struct ValidCase {
  std::string_view input;
  Scheme scheme;
  std::string_view host;
  std::uint16_t port;
  std::string_view host_header;
  std::string_view target;
  std::string_view path;
  std::string_view query;
  bool host_is_ip;
};

const ValidCase kValid[] = {
    {"http://example.com", Scheme::kHttp, "example.com", 80, "example.com", "/", "/", "", false},
    {"HTTPS://Example.COM:443/a/b?x=1#frag", Scheme::kHttps, "example.com", 443, "example.com",
     "/a/b?x=1", "/a/b", "x=1", false},
    {"http://example.com:8080/x", Scheme::kHttp, "example.com", 8080, "example.com:8080", "/x",
     "/x", "", false},
    {"https://example.com:80/", Scheme::kHttps, "example.com", 80, "example.com:80", "/", "/", "",
     false},
    {"http://example.com:/x", Scheme::kHttp, "example.com", 80, "example.com", "/x", "/x", "",
     false},
    {"http://[::1]:8080/p", Scheme::kHttp, "::1", 8080, "[::1]:8080", "/p", "/p", "", true},
    {"http://[2001:DB8::1]/", Scheme::kHttp, "2001:db8::1", 80, "[2001:db8::1]", "/", "/", "",
     true},
    {"http://127.0.0.1:5000/api", Scheme::kHttp, "127.0.0.1", 5000, "127.0.0.1:5000", "/api",
     "/api", "", true},
    {"http://my_host.local/", Scheme::kHttp, "my_host.local", 80, "my_host.local", "/", "/", "",
     false},
    {"http://x?q=1", Scheme::kHttp, "x", 80, "x", "/?q=1", "/", "q=1", false},
    {"http://x/p?", Scheme::kHttp, "x", 80, "x", "/p", "/p", "", false},
    {"http://x/p#only-a-fragment", Scheme::kHttp, "x", 80, "x", "/p", "/p", "", false},
    {"  http://x/trimmed \r\n", Scheme::kHttp, "x", 80, "x", "/trimmed", "/trimmed", "", false},
    {"http://a/b/c/./../../g", Scheme::kHttp, "a", 80, "a", "/g", "/g", "", false},
    {"http://a/b/..", Scheme::kHttp, "a", 80, "a", "/", "/", "", false},
    {"http://a/b/c/..?x", Scheme::kHttp, "a", 80, "a", "/b/?x", "/b/", "x", false},
    {"http://a//double//slash", Scheme::kHttp, "a", 80, "a", "//double//slash", "//double//slash",
     "", false},
    // Percent-encoding of characters that may not be sent, as requests does.
    {"http://x/a b?q=a b", Scheme::kHttp, "x", 80, "x", "/a%20b?q=a%20b", "/a%20b", "q=a%20b",
     false},
    {"http://x/%7Euser/%zz/100%", Scheme::kHttp, "x", 80, "x", "/%7Euser/%25zz/100%25",
     "/%7Euser/%25zz/100%25", "", false},
    {"http://x/\xc3\xa9t\xc3\xa9", Scheme::kHttp, "x", 80, "x", "/%C3%A9t%C3%A9", "/%C3%A9t%C3%A9",
     "", false},
    {"http://x/a\"<>\\^`{|}", Scheme::kHttp, "x", 80, "x", "/a%22%3C%3E%5C%5E%60%7B%7C%7D",
     "/a%22%3C%3E%5C%5E%60%7B%7C%7D", "", false},
    {"http://x/?filter[name]=a|b&next=/p?q", Scheme::kHttp, "x", 80, "x",
     "/?filter[name]=a%7Cb&next=/p?q", "/", "filter[name]=a%7Cb&next=/p?q", false},
    {"http://x/tab\there", Scheme::kHttp, "x", 80, "x", "/tab%09here", "/tab%09here", "", false},
};

TEST(UrlParse, ValidUrlsAreNormalised) {
  for (const ValidCase& c : kValid) {
    SCOPED_TRACE(c.input);
    Result<Url> url = Url::parse(c.input);
    ASSERT_TRUE(url.ok()) << url.error().message;
    EXPECT_EQ(url->scheme(), c.scheme);
    EXPECT_EQ(url->scheme_name(), c.scheme == Scheme::kHttps ? "https" : "http");
    EXPECT_EQ(url->is_https(), c.scheme == Scheme::kHttps);
    EXPECT_EQ(url->host(), c.host);
    EXPECT_EQ(url->port(), c.port);
    EXPECT_EQ(url->host_header(), c.host_header);
    EXPECT_EQ(url->origin(), std::string(url->scheme_name()) + "://" + std::string(c.host_header));
    EXPECT_EQ(url->target(), c.target);
    EXPECT_EQ(url->path(), c.path);
    EXPECT_EQ(url->query(), c.query);
    EXPECT_EQ(url->host_is_ip(), c.host_is_ip);
    EXPECT_EQ(url->str(), std::string(url->origin()) + std::string(c.target));
  }
}

TEST(UrlParse, NormalisedFormParsesToItself) {
  for (const ValidCase& c : kValid) {
    SCOPED_TRACE(c.input);
    Result<Url> url = Url::parse(c.input);
    ASSERT_TRUE(url.ok());
    Result<Url> again = Url::parse(url->str());
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(*again, *url);
  }
}

struct InvalidCase {
  std::string_view input;
  std::string_view message;
};

const InvalidCase kInvalid[] = {
    {"", "not an absolute URL"},
    {"/path", "not an absolute URL"},
    {"example.com/x", "not an absolute URL"},
    {"localhost:8089", "unsupported scheme 'localhost'"},
    {"ftp://x/", "unsupported scheme 'ftp' (only http and https are supported)"},
    {"mailto:someone@example.com", "unsupported scheme 'mailto'"},
    {"http:/x", "expected '//' and a host after the scheme"},
    {"http:x", "expected '//'"},
    {"http://", "missing host"},
    {"http:///path", "missing host"},
    {"http://:80/", "missing host"},
    {"http://user:secret@example.com/", "credentials in URLs"},
    {"http://user@example.com/", "send an Authorization header instead"},
    {"http://x:abc/", "invalid port 'abc'"},
    {"http://x:+80/", "invalid port '+80'"},
    {"http://x:-1/", "invalid port '-1'"},
    {"http://x:8 0/", "invalid port '8 0'"},
    {"http://x:0/", "port '0' is out of range 1-65535"},
    {"http://x:65536/", "port '65536' is out of range"},
    {"http://x:99999999999999999999/", "invalid port"},
    {"http://[::1/", "unterminated IPv6 address"},
    {"http://[::1]x/", "unexpected characters after the IPv6 address"},
    {"http://[zz::1]/", "invalid IPv6 address 'zz::1'"},
    {"http://[]/", "invalid IPv6 address"},
    {"http://[127.0.0.1]/", "invalid IPv6 address"},
    {"http://exa mple.com/", "invalid character ' ' in host 'exa mple.com'"},
    {"http://exa%41mple.com/", "invalid character '%'"},
    {"http://b\xc3\xbc"
     "cher.de/",
     "non-ASCII host names must be given IDNA-encoded"},
};

TEST(UrlParse, InvalidUrlsAreRejectedWithAMessage) {
  for (const InvalidCase& c : kInvalid) {
    SCOPED_TRACE(c.input);
    Result<Url> url = Url::parse(c.input);
    ASSERT_FALSE(url.ok()) << url->str();
    EXPECT_NE(url.error().message.find(c.message), std::string::npos) << url.error().message;
    EXPECT_TRUE(url.error().message.starts_with("invalid URL '")) << url.error().message;
  }
}

TEST(UrlParse, MessageQuotesControlCharactersPrintably) {
  Result<Url> url = Url::parse("ftp://x/\x01");
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.error().message,
            "invalid URL 'ftp://x/\\x01': unsupported scheme 'ftp' (only http and https are "
            "supported)");
}

TEST(UrlParse, ParseIntoReusesAndClearsOnError) {
  Url url;
  EXPECT_TRUE(url.empty());
  EXPECT_EQ(url.port(), 0);
  ASSERT_TRUE(Url::parse_into("http://example.com/a", url).ok());
  EXPECT_EQ(url.str(), "http://example.com/a");
  ASSERT_TRUE(Url::parse_into("https://[::1]:9/b?c", url).ok());
  EXPECT_EQ(url.str(), "https://[::1]:9/b?c");
  EXPECT_EQ(url.host(), "::1");
  EXPECT_TRUE(Url::parse_into("nope", url).ok() == false);
  EXPECT_TRUE(url.empty());
  EXPECT_EQ(url.target(), "");
}

// RFC 3986 §5.4.1 and §5.4.2, with http://a/b/c/d;p?q as the base; results are normalised (an
// empty path is "/").
struct ResolveCase {
  std::string_view reference;
  std::string_view expected;
};

const ResolveCase kRfcExamples[] = {
    {"g", "http://a/b/c/g"},
    {"./g", "http://a/b/c/g"},
    {"g/", "http://a/b/c/g/"},
    {"/g", "http://a/g"},
    {"//g", "http://g/"},
    {"?y", "http://a/b/c/d;p?y"},
    {"g?y", "http://a/b/c/g?y"},
    {"#s", "http://a/b/c/d;p?q"},
    {"g#s", "http://a/b/c/g"},
    {"g?y#s", "http://a/b/c/g?y"},
    {";x", "http://a/b/c/;x"},
    {"g;x", "http://a/b/c/g;x"},
    {"g;x?y#s", "http://a/b/c/g;x?y"},
    {"", "http://a/b/c/d;p?q"},
    {".", "http://a/b/c/"},
    {"./", "http://a/b/c/"},
    {"..", "http://a/b/"},
    {"../", "http://a/b/"},
    {"../g", "http://a/b/g"},
    {"../..", "http://a/"},
    {"../../", "http://a/"},
    {"../../g", "http://a/g"},
    // Abnormal examples.
    {"../../../g", "http://a/g"},
    {"../../../../g", "http://a/g"},
    {"/./g", "http://a/g"},
    {"/../g", "http://a/g"},
    {"g.", "http://a/b/c/g."},
    {".g", "http://a/b/c/.g"},
    {"g..", "http://a/b/c/g.."},
    {"..g", "http://a/b/c/..g"},
    {"./../g", "http://a/b/g"},
    {"./g/.", "http://a/b/c/g/"},
    {"g/./h", "http://a/b/c/g/h"},
    {"g/../h", "http://a/b/c/h"},
    {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y", "http://a/b/c/y"},
    {"g?y/./x", "http://a/b/c/g?y/./x"},
    {"g?y/../x", "http://a/b/c/g?y/../x"},
    {"g#s/./x", "http://a/b/c/g"},
    {"g#s/../x", "http://a/b/c/g"},
    // Beyond the RFC's table: what redirects send.
    {"https://other.example:8443/x/../y", "https://other.example:8443/y"},
    {"HTTP://A/Up", "http://a/Up"},
    {"//other:81/x", "http://other:81/x"},
    {"?", "http://a/b/c/d;p"},
    {"/a b", "http://a/a%20b"},
    {"  /padded  ", "http://a/padded"},
};

TEST(UrlResolve, Rfc3986Examples) {
  Result<Url> base = Url::parse("http://a/b/c/d;p?q");
  ASSERT_TRUE(base.ok());
  for (const ResolveCase& c : kRfcExamples) {
    SCOPED_TRACE(c.reference);
    Result<Url> resolved = base->resolve(c.reference);
    ASSERT_TRUE(resolved.ok()) << resolved.error().message;
    EXPECT_EQ(resolved->str(), c.expected);
    // The result is itself normalised: parsing it again changes nothing.
    Result<Url> reparsed = Url::parse(resolved->str());
    ASSERT_TRUE(reparsed.ok());
    EXPECT_EQ(*reparsed, *resolved);
  }
}

TEST(UrlResolve, KeepsTheBaseOriginForRelativeReferences) {
  Result<Url> base = Url::parse("https://[::1]:8443/a/b?x=1");
  ASSERT_TRUE(base.ok());
  Result<Url> resolved = base->resolve("../c?y=2");
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->str(), "https://[::1]:8443/c?y=2");
  EXPECT_EQ(resolved->host(), "::1");
  EXPECT_EQ(resolved->port(), 8443);
  EXPECT_TRUE(resolved->is_https());
  EXPECT_TRUE(resolved->host_is_ip());
  EXPECT_EQ(resolved->path(), "/c");
  EXPECT_EQ(resolved->query(), "y=2");

  Result<Url> network_path = base->resolve("//example.com/z");
  ASSERT_TRUE(network_path.ok());
  EXPECT_EQ(network_path->str(), "https://example.com/z");
  EXPECT_EQ(network_path->port(), 443);
  EXPECT_FALSE(network_path->host_is_ip());
}

TEST(UrlResolve, RejectsOtherSchemesAndBadAuthorities) {
  Result<Url> base = Url::parse("http://a/b");
  ASSERT_TRUE(base.ok());
  const InvalidCase cases[] = {
      {"g:h", "unsupported scheme 'g'"},
      {"ftp://files/x", "unsupported scheme 'ftp'"},
      {"javascript:alert(1)", "unsupported scheme 'javascript'"},
      {"http:g", "expected '//'"},
      {"//user@evil/", "credentials in URLs"},
      {"//host:port/", "invalid port 'port'"},
  };
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(c.input);
    Result<Url> resolved = base->resolve(c.input);
    ASSERT_FALSE(resolved.ok()) << resolved->str();
    EXPECT_NE(resolved.error().message.find(c.message), std::string::npos)
        << resolved.error().message;
  }
}

TEST(UrlResolve, ResolveIntoReusesTheTarget) {
  Result<Url> base = Url::parse("http://example.com/dir/page");
  ASSERT_TRUE(base.ok());
  Url out;
  ASSERT_TRUE(base->resolve_into("other", out).ok());
  EXPECT_EQ(out.str(), "http://example.com/dir/other");
  ASSERT_TRUE(base->resolve_into("https://x.example/", out).ok());
  EXPECT_EQ(out.str(), "https://x.example/");
  EXPECT_EQ(out.host(), "x.example");
  ASSERT_TRUE(base->resolve_into("/abs?q", out).ok());
  EXPECT_EQ(out.str(), "http://example.com/abs?q");
  EXPECT_EQ(out.host(), "example.com");
  EXPECT_EQ(out.query(), "q");
  EXPECT_FALSE(base->resolve_into("ftp://x/", out).ok());
  EXPECT_TRUE(out.empty());
}

struct QuoteCase {
  std::string_view input;
  std::string_view expected;
};

TEST(QuotePlus, MatchesPythonQuotePlus) {
  const QuoteCase cases[] = {
      {"", ""},
      {"abcXYZ019", "abcXYZ019"},
      {"~._-", "~._-"},
      {"a b", "a+b"},
      {"a+b", "a%2Bb"},
      {"a&b=c", "a%26b%3Dc"},
      {"/path?x#y", "%2Fpath%3Fx%23y"},
      {"100%", "100%25"},
      {"\xc3\xa9", "%C3%A9"},
      {std::string_view("nul\0byte", 8), "nul%00byte"},
      {"\r\n", "%0D%0A"},
      {"*'()!", "%2A%27%28%29%21"},
  };
  for (const QuoteCase& c : cases) {
    std::string out = "prefix:";
    append_quote_plus(out, c.input);
    EXPECT_EQ(out, "prefix:" + std::string(c.expected)) << c.input;
  }
}

TEST(Urlencode, EncodesOrderedPairsOfAnyPairRange) {
  EXPECT_EQ(urlencode({{"q", "hello world"}, {"lang", "c++"}, {"q", "again"}}),
            "q=hello+world&lang=c%2B%2B&q=again");
  EXPECT_EQ(urlencode({}), "");
  EXPECT_EQ(urlencode({{"", ""}}), "=");
  const std::vector<std::pair<std::string, std::string>> owned = {{"a=b", "c&d"}, {"e", ""}};
  EXPECT_EQ(urlencode(owned), "a%3Db=c%26d&e=");
  const Fields fields = {{"username", "user"}, {"password", "p@ss w"}};
  EXPECT_EQ(urlencode(fields), "username=user&password=p%40ss+w");
}

TEST(AppendQueryParams, FollowsRequestsRules) {
  const struct {
    std::string_view target;
    std::string_view expected;
  } cases[] = {
      {"/x", "/x?a=1&b=two+words"},
      {"/x?y=2", "/x?y=2&a=1&b=two+words"},
      {"/x?", "/x?a=1&b=two+words"},
      {"/x#frag", "/x?a=1&b=two+words"},
      {"/x?y=2#frag?z", "/x?y=2&a=1&b=two+words"},
      {"http://h/x?y", "http://h/x?y&a=1&b=two+words"},
  };
  for (const auto& c : cases) {
    std::string target(c.target);
    append_query_params(target, {{"a", "1"}, {"b", "two words"}});
    EXPECT_EQ(target, c.expected) << c.target;
  }
  std::string untouched = "/x?y#f";
  append_query_params(untouched, std::vector<std::pair<std::string, std::string>>{});
  EXPECT_EQ(untouched, "/x?y#f");
}

TEST(AppendQueryParams, ResultParsesIntoTheExpectedQuery) {
  std::string url = "http://example.com/search";
  append_query_params(url, {{"q", "a&b c"}, {"page", "2"}});
  Result<Url> parsed = Url::parse(url);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->target(), "/search?q=a%26b+c&page=2");
}

}  // namespace
}  // namespace hornet::http
