#!/usr/bin/env python3
"""Python locustfiles' HTTP clients against the test server: HttpUser's client (Locust 2.12's
HttpSession: methods, name=, params=, data=, json=, headers=, cookies=, auth=, files=, redirects,
timeout=, catch_response, session cookies and headers, response fields), FastHttpUser with rest(),
a request listener seeing Hornet's requests, a run ending mid-request.

The locustfiles (scenarios/python/http_*.py, fast_api.py) check responses themselves and log
"bad <what>" to $PY_LOG; the tests read that log, the CSV files and what the server received.

    python3 test_python_http.py hornet=PATH [-v]
"""

import signal
import time
import unittest

import itest
from itest_server import ServerTestCase
from test_python import PyTest, scenario


class PyServerTest(PyTest, ServerTestCase):

    def run_until_markers(self, file, cls, users, *flags):
        """Runs `cls` until the server got one /marker/stopped per user, then SIGINT."""
        before = self.server.count(path="/marker/stopped")
        run = itest.Hornet("hornet", "-f", scenario(file), cls, "-H", self.server.url,
                           "--headless", "-u", str(users), "-r", "100", "-t", "10m", *flags,
                           env={"PY_LOG": str(self.log_path())})
        self.addCleanup(run.close)
        itest.wait_until(lambda: self.server.count(path="/marker/stopped") >= before + users
                         or not run.running(), itest.WAIT_TIMEOUT, "the users' markers")
        time.sleep(0.3)
        if run.running():
            run.stop(signal.SIGINT)
        self.assertEqual(self.server.count(path="/marker/stopped"), before + users,
                         run.describe())
        return run


class HttpSessionApi(PyServerTest):

    """One run of ApiUser (2 users) for the whole class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        holder = HttpSessionApi("test_every_check_in_the_locustfile_passed")
        try:
            cls.run_ = holder.run_until_markers("http_api.py", "ApiUser", 2)
            cls.lines = PyTest.log_lines(holder)
        except BaseException:
            holder.doCleanups()
            super().tearDownClass()
            raise
        cls.holder = holder
        cls.mine = cls.server.received()

    @classmethod
    def tearDownClass(cls):
        cls.holder.doCleanups()
        super().tearDownClass()

    def log_lines(self):
        return self.lines

    def test_every_check_in_the_locustfile_passed(self):
        bad = [line for line in self.log_lines() if line.startswith("bad ")]
        self.assertEqual(bad, [], self.run_.describe())
        self.assertEqual(self.log_lines().count("value error propagated"), 2)

    def test_stats_names_and_counts(self):
        stats = self.run_.stats()
        for method in ("get", "post", "put", "patch", "delete", "options", "head"):
            self.assertEqual(self.run_.count(method.upper(), f"m-{method}"), 2, method)
        self.assertEqual(self.run_.count("PUT", "m-request"), 2)
        self.assertEqual(self.run_.count("GET", "/echo/default?q=1"), 2)
        self.assertEqual(self.run_.count("GET", "params-dict"), 2)
        self.assertEqual(self.run_.count("POST", "files"), 2)
        self.assertIn(("GET", "redirect"), stats)
        self.assertNotIn(("GET", "/landing/302"), stats)  # a redirect is one request

    def test_failures_table(self):
        failures = self.run_.failures()
        expected = {
            # Locust puts name= in place of the URL (so that failures group by name).
            ("GET", "status-404", "HTTPError('404 Client Error: Not Found for url: status-404')"): 2,
            ("GET", "cr-failure", "CatchResponseError('not what I wanted')"): 2,
            ("GET", "cr-response-error", "ResponseError('bad payload')"): 2,
        }
        for key, count in expected.items():
            self.assertEqual(failures.get(key), count, (key, failures))
        timeouts = [key for key in failures if key[1] == "timeout"]
        self.assertEqual(len(timeouts), 1, failures)
        self.assertIn("ReadTimeout", timeouts[0][2])
        self.assertEqual(self.run_.failure_count("GET", "cr-success-500"), 0)
        self.assertEqual(self.run_.failure_count("GET", "cr-success"), 0)
        self.assertEqual(self.run_.exceptions(), [])  # the task caught the ValueError

    # With catch_response and neither success() nor failure(), Locust 2.12.1's
    # ResponseContextManager.__exit__ raises for the real URL (it replaces the URL by name= only
    # without catch_response).
    def test_catch_response_neither_called_names_the_url(self):
        self.assertEqual(self.run_.failures().get((
            "GET", "cr-neither", "HTTPError('500 Server Error: Internal Server Error for url: "
            f"{self.server.url}/status/500')")), 2, self.run_.failures())

    # Locust 2.12's ResponseContextManager never reports a request whose with-block raised
    # something other than ResponseError.
    def test_exception_inside_catch_response_is_not_reported(self):
        self.assertEqual(self.run_.count("GET", "cr-value-error"), 0)

    def test_what_the_server_received(self):
        by_path = {}
        for r in self.mine:
            by_path.setdefault(r.path, []).append(r)
        [data_dict, data_str, data_bytes, *_] = [r for r in by_path["/echo/data"]]
        self.assertEqual(data_dict.body, b"u=a+b&p=1")
        self.assertEqual(by_path["/echo/params"][0].target, "/echo/params?a=1&b=x&b=y")
        for r in by_path["/basic"]:
            self.assertEqual(r.headers.get("Authorization"), "Basic dXNlcjpwYTpzcw==")
        for r in by_path["/echo/files"]:
            body = r.body
            self.assertIn(b'name="upload"; filename="hello.txt"', body)
            self.assertIn(b"Content-Type: text/plain", body)
            self.assertIn(b"hello file", body)
            self.assertIn(b'name="field"', body)
        # Cookies: each user's jar sent its own session cookie after /cookies/set, and the
        # per-request cookie only with its request.
        echoes = by_path["/cookies/echo"]
        self.assertEqual(len(echoes), 2)
        for r in echoes:
            uid = r.user[len("user"):]
            self.assertEqual(r.cookies().get("sess"), f"s{uid}", r.headers)
            self.assertNotIn("percall", r.cookies())
        # The session header went with every request of the user, markers included.
        self.assertEqual({r.user for r in self.mine}, {"user1", "user2"})
        self.assertEqual(len(by_path["/landing/302"]), 2)  # only the followed redirect


class FastHttp(PyServerTest):

    def test_fast_http_user_and_rest(self):
        run = self.run_until_markers("fast_api.py", "FastUser", 1)
        bad = [line for line in self.log_lines() if line.startswith("bad ")]
        self.assertEqual(bad, [], run.describe())
        self.assertEqual(run.count("GET", "fast-get"), 1)
        self.assertEqual(run.count("POST", "rest-ok"), 1)
        failures = run.failures()
        names = {key[1]: key[2] for key in failures}
        self.assertEqual(set(names), {"fast-503", "fast-cr", "rest-not-json", "rest-assert",
                                      "rest-keyerror"}, failures)
        self.assertIn("503", names["fast-503"])
        self.assertEqual(names["fast-cr"], "CatchResponseError('fast says no')")
        self.assertIn("Could not parse response as JSON", names["rest-not-json"])
        self.assertEqual(names["rest-assert"], "CatchResponseError('wrong method')")
        self.assertIn("KeyError", names["rest-keyerror"])
        self.assertEqual(run.exceptions(), [])
        [rest] = self.server.received(path="/echo/rest")[:1]
        self.assertEqual(rest.headers.get("Content-Type"), "application/json")


class HttpMisc(PyServerTest):

    def test_request_listener_sees_hornets_requests(self):
        run = self.run_py("http_misc.py", "ListenedUser", "-u", "2", "-r", "100", "-t", "2s",
                          host=self.server.url)
        self.assertEqual(sorted(self.log_lines()), sorted([
            "GET listened ok 200", "POST listened ok 200",
            "GET listened-404 fail HTTPError 404"] * 2))
        self.assertEqual(run.count("GET", "listened"), 2)
        self.assertEqual(run.failure_count("GET", "listened-404"), 2)

    def test_run_time_ends_users_mid_request(self):
        run = self.run_py("http_misc.py", "SlowUser", "-u", "3", "-r", "100", "-t", "1s",
                          host=self.server.url, timeout=60)
        self.assertEqual(run.code, 0, run.describe())
        self.assertLess(run.took, 20)  # "promptly": the requests would take 30 s
        self.assertEqual(run.count("GET", "slow"), 0)  # an abandoned request is not recorded
        self.assertEqual(run.exceptions(), [])

    # Was a SIGSEGV in PythonUser<HttpUser>::~PythonUser (a null function called from
    # Worker::user_finished) when an HttpUser's construction raised; fixed with locust.clients.
    def test_http_user_constructor_error_is_counted_not_a_crash(self):
        run = self.run_py("http_misc.py", "BrokenInitUser", "-u", "2", "-r", "100", "-t", "1s",
                          host=self.server.url, timeout=60)
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("cannot construct", run.stderr)
        self.assertEqual(run.count("GET", "never"), 0)


if __name__ == "__main__":
    itest.main()
