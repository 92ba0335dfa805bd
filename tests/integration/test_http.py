#!/usr/bin/env python3
"""HTTP semantics through the feature scenario (scenarios/features.cpp): cookies, redirects,
query parameters, bodies, methods, headers, Basic auth, name= grouping, catch_response, content
codings and framing. Checked through the CSV files, the exit code and what the test server
received.

    python3 test_http.py features=PATH [-v]
"""

import json
import unittest
import urllib.parse
from collections import Counter

import itest
from itest_server import BASIC_CREDENTIALS, TestServer, content_body

USERS = 2


class FeatureTest(unittest.TestCase):
    """Each test class runs its own server and one Hornet run of the feature classes CLASSES
    with USERS users (in setUpClass); its tests look at the outcome."""

    CLASSES = ()
    FLAGS = ()

    @classmethod
    def setUpClass(cls):
        if not cls.CLASSES:
            raise unittest.SkipTest("base class")
        cls.server = TestServer()
        cls.other = TestServer()  # another origin (port), for redirects
        try:
            cls.hornet = itest.run_until_stopped(cls.server, cls.CLASSES, USERS, *cls.FLAGS,
                                                 env={"ITEST_OTHER_URL": cls.other.url})
        except BaseException:
            cls.server.stop()
            cls.other.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.hornet.close()
        cls.server.stop()
        cls.other.stop()

    def by_user(self, prefix=None):
        """{user: [(method, path), ...]} of what the server received, in order."""
        out = {}
        for request in self.server.received(prefix=prefix):
            out.setdefault(request.user, []).append((request.method, request.path))
        return out

    def only(self, path):
        """The requests to `path`, one per user (asserts that)."""
        requests = self.server.received(path=path)
        self.assertEqual(sorted(r.user for r in requests),
                         sorted({r.user for r in requests}), f"one request per user to {path}")
        self.assertEqual(len(requests), USERS, path)
        return requests


class CookieTest(FeatureTest):
    CLASSES = ("CookieUser",)
    BASE = {"session": "abc", "theme": "light", "httponly": "1", "manual": "m", "mx": "1",
            "eq": "a=b", "dp": "1", "fut": "1", "dup": "root"}

    def test_scenario_checks_passed(self):
        # response.cookies() and the session's jar held what the scenario expected.
        self.assertEqual(self.hornet.failures(), {}, self.hornet.describe())
        self.assertEqual(self.hornet.code, 0)

    def test_each_user_has_its_own_jar(self):
        for request in self.only("/cookies/set"):
            self.assertIsNone(request.headers.get("Cookie"))
        for request in self.only("/cookies/attrs"):
            self.assertEqual(request.cookies(), {"session": "abc", "theme": "dark"})

    def test_rfc6265_attributes(self):
        # Secure is not sent over http; expired and foreign-domain cookies are not kept; the
        # Path=/cookies/deep cookie is not sent elsewhere; theme was replaced.
        for request in self.only("/cookies/delete"):
            self.assertEqual(request.cookies(), {"session": "abc", "theme": "light",
                                                 "httponly": "1", "gone": "1", "mx": "1",
                                                 "eq": "a=b", "dp": "1", "fut": "1",
                                                 "dup": "root"})
        for request in self.only("/cookies/echo"):
            self.assertEqual(request.cookies(), self.BASE)  # "gone" deleted by Max-Age=0
        for request in self.only("/cookies/deep/echo"):
            # Both "dup" cookies, the one with the longer path first (RFC 6265 5.4, and
            # http.cookiejar's order).
            pairs = [part.strip() for part in request.headers.get("Cookie").split(";")]
            dups = [pair for pair in pairs if pair.startswith("dup=")]
            self.assertEqual(dups, ["dup=deep", "dup=root"])
            others = dict(pair.split("=", 1) for pair in pairs if not pair.startswith("dup="))
            self.assertEqual(others, {k: v for k, v in {**self.BASE, "scoped": "1"}.items()
                                      if k != "dup"})

    def test_default_path(self):
        # dp=1 came without Path from /cookies/attrs: sent under /cookies only.
        for request in self.only("/marker/stopped"):
            self.assertNotIn("dp", request.cookies())
            self.assertEqual(request.cookies()["session"], "abc")

    def test_cookie_set_by_a_redirect_is_sent_to_its_target(self):
        for request in self.only("/cookies/after-redirect"):
            self.assertEqual(request.cookies(), {**self.BASE, "redir": "1"})

    def test_one_cookie_header(self):
        for request in self.server.received(prefix="/cookies/"):
            self.assertLessEqual(len(request.headers.get_all("Cookie") or []), 1)


class RedirectTest(FeatureTest):
    CLASSES = ("RedirectUser",)
    FORM = "application/x-www-form-urlencoded"

    def landings(self, user):
        return [(r.method, r.path, r.body, r.headers.get("Content-Type"))
                for r in self.server.received(user=user, prefix="/landing/")]

    def test_the_loop_is_the_only_failure(self):
        self.assertEqual(self.hornet.code, 1, self.hornet.describe())
        # requests' limit: 30 redirects.
        self.assertEqual(self.hornet.failures(), {
            ("GET", "/loop/0", "TooManyRedirects('Exceeded 30 redirects.')"): USERS})
        for user in self.by_user():
            loop = [r.path for r in self.server.received(user=user, prefix="/loop/")]
            self.assertEqual(loop, [f"/loop/{i}" for i in range(31)])

    def test_stats_name_the_request_as_sent(self):
        # Method and path before any redirect.
        stats = self.hornet.stats()
        for key in [("POST", f"/redirect/{code}") for code in (301, 302, 303, 307, 308)] + [
                ("PUT", "/redirect/301"), ("PUT", "/redirect/302"), ("HEAD", "/redirect/303"),
                ("GET", "no-follow"), ("GET", "/relative/a/b"), ("GET", "auth-same-origin"),
                ("GET", "auth-other-origin")]:
            row = stats[key]
            self.assertEqual((row["Request Count"], row["Failure Count"]), (str(USERS), "0"), key)
        self.assertFalse([key for key in stats if key[1].startswith("/landing/")])

    def test_post_is_rewritten_as_requests_does(self):
        for user in self.by_user():
            self.assertEqual(self.landings(user)[:5], [
                ("GET", "/landing/301", b"", None),  # 301, 302, 303: POST becomes a bodiless GET
                ("GET", "/landing/302", b"", None),
                ("GET", "/landing/303", b"", None),
                ("POST", "/landing/307", b"a=1", self.FORM),  # 307, 308 keep method and body
                ("POST", "/landing/308", b"a=1", self.FORM),
            ])

    def test_put_and_head(self):
        for user in self.by_user():
            self.assertEqual(self.landings(user)[6:], [
                ("GET", "/landing/302", b"", None),  # 302: anything but HEAD becomes GET
                ("HEAD", "/landing/303", b"", None),  # HEAD stays HEAD
            ])

    # Regression (fixed in c872928): requests' resolve_redirects drops the body, Content-Type
    # and Content-Length on every redirect but 307/308; Hornet used to forward PUT's body to
    # the 301's target.
    def test_301_keeps_put_but_drops_its_body(self):
        for user in self.by_user():
            self.assertEqual(self.landings(user)[5], ("PUT", "/landing/301", b"", None))

    def test_relative_location(self):
        for user in self.by_user():
            targets = [r.target for r in self.server.received(user=user, prefix="/relative/")]
            self.assertEqual(targets, ["/relative/a/b", "/relative/c?x=1"])

    def test_credentials_follow_a_redirect_to_the_same_origin(self):
        basic = self.server.received(path="/basic")
        self.assertEqual([r.headers.get("Authorization") for r in basic],
                         [BASIC_CREDENTIALS] * USERS)

    # Regression (fixed in c872928): requests' should_strip_auth drops Authorization on a
    # redirect to another port of the same host; Hornet used to compare host names only.
    def test_credentials_do_not_follow_a_redirect_to_another_port(self):
        basic = self.other.received(path="/basic")
        self.assertEqual(len(basic), USERS)
        self.assertEqual([r.headers.get("Authorization") for r in basic], [None] * USERS)

    def test_allow_redirects_false(self):
        for user, requests in self.by_user().items():
            # The last step's 302 was not followed: the next request is the marker.
            self.assertEqual(requests[-2:], [("GET", "/redirect/302"),
                                             ("GET", "/marker/stopped")])


class RequestOptionsTest(FeatureTest):
    CLASSES = ("RequestUser",)

    def test_only_the_unauthenticated_request_failed(self):
        self.assertEqual(self.hornet.failures(), {
            ("GET", "basic-none",
             "HTTPError('401 Client Error: Unauthorized for url: basic-none')"): USERS},
            self.hornet.describe())
        self.assertEqual(self.hornet.code, 1)
        self.assertEqual(self.hornet.stats()[("GET", "/echo/json-response")]["Failure Count"],
                         "0")  # Response::json() and headers() as the scenario expected

    def test_query_parameters(self):
        params = self.only("/echo/params")
        self.assertEqual(params[0].query, {"fixed": ["1"], "q": ["a b&c"], "n": ["1"],
                                           "odd": ["x+y/z~\u00e9=%"]})
        # The default name is the path and query as sent.
        self.assertEqual(self.hornet.count("GET", params[0].target), USERS)

    def test_bodies(self):
        for request in self.only("/echo/form"):
            self.assertEqual(request.method, "POST")
            self.assertEqual(request.headers.get("Content-Type"),
                             "application/x-www-form-urlencoded")
            self.assertEqual(urllib.parse.parse_qs(request.body.decode()),
                             {"user": ["ann"], "note": ["x=y&z"], "odd": ["a+b c/\u00e9%"]})
        for request in self.only("/echo/json"):
            self.assertEqual(request.headers.get("Content-Type"), "application/json")
            self.assertEqual(json.loads(request.body), {"k": [1, 2], "s": "v"})
        for request in self.only("/echo/raw"):
            self.assertEqual((request.method, request.body), ("PUT", b"raw-bytes"))
            self.assertEqual(request.headers.get("Content-Type"), "text/plain")
            self.assertEqual(request.headers.get("Content-Length"), "9")
        for request in self.only("/echo/patch"):
            self.assertEqual((request.method, json.loads(request.body)), ("PATCH", {"p": True}))

    def test_methods(self):
        stats = self.hornet.stats()
        for path, method in (("/echo/delete", "DELETE"), ("/echo/options", "OPTIONS"),
                             ("/echo/head", "HEAD")):
            for request in self.only(path):
                self.assertEqual((request.method, request.body), (method, b""))
            self.assertEqual(stats[(method, path)]["Request Count"], str(USERS))
            self.assertEqual(stats[(method, path)]["Failure Count"], "0")
        self.assertEqual(stats[("HEAD", "/echo/head")]["Average Content Size"], "0.0")

    def test_headers(self):
        for request in self.only("/echo/headers"):
            self.assertEqual(request.headers.get("X-Custom"), "yes")
            # A request's header replaces the session's default of the same name.
            self.assertEqual(request.headers.get_all("User-Agent"), ["itest-agent"])
        # Session-wide headers and the defaults, on every request.
        for request in self.server.received():
            self.assertEqual(request.headers.get("X-Session-Default"), "on", request.path)
            self.assertEqual(request.headers.get("Host"), f"127.0.0.1:{self.server.port}")
            self.assertIn("gzip", request.headers.get("Accept-Encoding") or "")

    def test_basic_auth(self):
        basic = self.server.received(path="/basic")
        self.assertEqual(Counter(r.headers.get("Authorization") for r in basic),
                         {BASIC_CREDENTIALS: USERS, None: USERS})
        self.assertEqual(self.hornet.stats()[("GET", "basic")]["Failure Count"], "0")

    def test_keep_alive(self):
        for user in self.by_user():
            ports = {r.client_port for r in self.server.received(user=user)}
            self.assertEqual(len(ports), 1, f"{user}: one connection for all its requests")


class NameGroupingTest(FeatureTest):
    CLASSES = ("NameUser",)

    def test_name_groups_urls_in_one_entry(self):
        stats = self.hornet.stats()
        self.assertEqual(stats[("GET", "/item?id=[id]")]["Request Count"], str(5 * USERS))
        self.assertEqual(stats[("GET", "/item?id=6")]["Request Count"], str(USERS))
        for i in range(1, 6):
            self.assertNotIn(("GET", f"/item?id={i}"), stats)
        self.assertEqual(self.server.count(path="/item"), 8 * USERS)

    def test_failure_message_names_the_entry(self):
        # With name=, the message has the name instead of the URL, so failures group too. The
        # message is Python's repr (quotes escaped as repr escapes them), CSV-quoted.
        self.assertEqual(self.hornet.failures(), {
            ("GET", "/status/[code]",
             "HTTPError('404 Client Error: Not Found for url: /status/[code]')"): USERS,
            ("GET", "/it's \"404\"",
             "HTTPError('404 Client Error: Not Found for url: /it\\'s \"404\"')"): USERS})

    def test_names_csv_must_quote_and_non_ascii_names(self):
        stats = self.hornet.stats()
        self.assertEqual(stats[("GET", '/quoted, "name"')]["Request Count"], str(USERS))
        self.assertEqual(stats[("GET", "/caf\u00e9 \u00fcber")]["Request Count"], str(USERS))
        self.assertIn('GET,"/quoted, ""name""",'.encode(), self.hornet.csv_bytes("stats"))


class CatchResponseTest(FeatureTest):
    CLASSES = ("CatchUser",)

    def counts(self, name):
        row = self.hornet.stats().get(("GET", name))
        return (int(row["Request Count"]), int(row["Failure Count"])) if row else None

    def test_decisions(self):
        self.assertEqual(self.counts("/catch/success-on-404"), (USERS, 0))  # success() wins
        self.assertEqual(self.counts("/catch/failure-on-200"), (USERS, USERS))  # failure() wins
        self.assertEqual(self.counts("/status/500"), (USERS, USERS))  # neither: the status
        self.assertEqual(self.counts("/catch/default-ok"), (USERS, 0))
        self.assertEqual(self.counts("/catch/success-then-thrown"), (USERS, 0))

    def test_exception_before_a_decision_reports_nothing(self):
        # As Locust: the request was sent, but an exception leaving the block undecided means
        # it is not reported.
        self.assertIsNone(self.counts("/catch/thrown"))
        self.assertEqual(self.server.count(path="/ok"), 4 * USERS)

    def test_failures_and_exceptions(self):
        self.assertEqual(self.hornet.code, 1, self.hornet.describe())
        failures = self.hornet.failures()
        self.assertEqual(len(failures), 2, failures)
        self.assertEqual(failures[("GET", "/catch/failure-on-200",
                                   "CatchResponseError('wrong body')")], USERS)
        [(key, n)] = [(k, n) for k, n in failures.items() if k[1] == "/status/500"]
        self.assertEqual(n, USERS)
        self.assertRegex(key[2], r"^HTTPError\('500 Server Error: Internal Server Error for url: "
                                 r"\S*/status/500'\)$")
        # The error report, as a standalone Locust prints it (repr of the error).
        self.assertIn("GET /catch/failure-on-200: CatchResponseError('wrong body')",
                      self.hornet.stderr)
        exceptions = {row["Message"]: int(row["Count"]) for row in self.hornet.exceptions()}
        self.assertEqual(exceptions, {"thrown inside catch_response": USERS,
                                      "thrown after success": USERS})


class EdgeCaseTest(FeatureTest):
    CLASSES = ("EdgeUser",)

    def test_each_response_is_read_right_and_leaves_the_session_usable(self):
        # The scenario checks every status and body, and that the request after each edge case
        # gets its own answer (see EdgeUser in scenarios/features.cpp).
        self.assertEqual(self.hornet.failures(), {}, self.hornet.describe())
        self.assertEqual(self.hornet.code, 0)
        self.assertEqual(self.hornet.count("GET", "/edge/after"), 10 * USERS)
        self.assertEqual(self.server.count(prefix="/edge/after/"), 10 * USERS)

    def test_connections_closed_when_they_must_be(self):
        for user in self.by_user():
            port = {r.path: r.client_port for r in self.server.received(user=user)}
            # Reused after responses that leave the connection clean...
            for kind in ("continue", "no-reason", "204", "304", "lf-only"):
                self.assertEqual(port[f"/edge/after/{kind}"], port[f"/edge/{kind}"], kind)
            # ...and not after an unrequested extra response, HTTP/1.0, Connection: close, or
            # a server that closed it meanwhile.
            for kind in ("extra-bytes", "http10", "conn-close", "stale"):
                self.assertNotEqual(port[f"/edge/after/{kind}"], port[f"/edge/{kind}"], kind)

    def test_big_body(self):
        row = self.hornet.stats()[("GET", "/edge/big")]
        self.assertEqual(float(row["Average Content Size"]), 8 * 1024 * 1024)


class ContentTest(FeatureTest):
    CLASSES = ("ContentUser",)
    KINDS = ("gzip", "deflate", "deflate-raw", "chunked", "chunked-gzip", "close-delimited",
             "identity")

    def test_decoded_bodies_are_exact(self):
        # The scenario compares every body with the expected text (a mismatch is a failure).
        stats = self.hornet.stats()
        for kind in self.KINDS:
            with self.subTest(kind=kind):
                row = stats[("GET", f"/content/{kind}")]
                self.assertEqual((row["Request Count"], row["Failure Count"]), (str(USERS), "0"))
                # The content size is the decoded body's, as len(response.content) in Locust.
                self.assertEqual(float(row["Average Content Size"]), len(content_body(kind)))

    def test_a_corrupt_body_is_a_decoding_failure(self):
        failures = self.hornet.failures()
        self.assertEqual(len(failures), 1, failures)
        [((method, name, error), n)] = failures.items()
        self.assertEqual((method, name, n), ("GET", "/content/bad-gzip", USERS))
        self.assertRegex(error, r"^ContentDecodingError\(.*gzip.*\)$")

    def test_connection_reused_after_chunked_bodies(self):
        for user in self.by_user():
            requests = self.server.received(user=user, prefix="/content/")
            self.assertEqual([r.path for r in requests][:6],
                             [f"/content/{kind}" for kind in self.KINDS[:6]])
            # Up to close-delimited (which closes), one connection: chunked bodies with
            # extensions and trailers leave it usable.
            self.assertEqual(len({r.client_port for r in requests[:6]}), 1)


if __name__ == "__main__":
    itest.main()
