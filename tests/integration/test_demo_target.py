#!/usr/bin/env python3
"""Integration tests of hornet-demo (examples/demo_target/), the local imitation of the seed's
Django site: each test class starts the real binary on 127.0.0.1, port 0, and talks to it over
loopback. Python 3 standard library only.

    HORNET_DEMO=build/demo/examples/demo_target/hornet-demo \
        python3 tests/integration/test_demo_target.py [-v] [unittest arguments]
    python3 tests/integration/test_demo_target.py path/to/hornet-demo [-v]

Without either, the binary is build/release/examples/demo_target/hornet-demo under the repository
root. Exits non-zero if a test fails. Every server a test starts must also stop cleanly on a
signal (exit 0), print nothing but its one listening line on stdout and nothing at all on stderr,
so a sanitizer report (ASan, UBSan, LeakSanitizer) fails the test that caused it.
"""

import concurrent.futures
import gzip
import http.client
import http.cookiejar
import json
import os
import re
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / "build/release/examples/demo_target/hornet-demo"
BINARY = str(DEFAULT_BINARY)  # set by main()

LISTENING = re.compile(r"^hornet-demo listening on (https?)://127\.0\.0\.1:(\d+)$")
TIMEOUT = 10.0  # seconds; generous, for sanitizer builds on a busy machine
INDEX_SIZE = 17611
USERNAME, PASSWORD = "username", "P455w0rd"
TOKEN = re.compile(r"^[A-Za-z0-9]{32}$")
MIB = 1024 * 1024


class DemoServer:
    """One hornet-demo process, started with --port 0 and the given flags."""

    def __init__(self, *flags):
        self.flags = list(flags)
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [BINARY, "--port", "0", *self.flags],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
        line = self.process.stdout.readline().rstrip("\n") if ready else ""
        match = LISTENING.match(line)
        if not match:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"unexpected first line {line!r}; stderr: {self.read_stderr()!r}")
        self.scheme = match.group(1)
        self.port = int(match.group(2))

    def read_stderr(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=TIMEOUT):
        """Sends `sig`, waits, and checks a clean exit. Returns the seconds it took."""
        if self.process.poll() is not None:
            raise AssertionError(f"hornet-demo died early: {self.process.returncode}; "
                                 f"stderr: {self.read_stderr()!r}")
        start = time.monotonic()
        self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"hornet-demo did not stop within {timeout} s of {sig!r}")
        took = time.monotonic() - start
        rest = self.process.stdout.read()
        self.process.stdout.close()
        stderr = self.read_stderr()
        self.stderr.close()
        if code != 0 or rest or stderr:
            raise AssertionError(f"unclean stop after {sig!r}: exit {code}, "
                                 f"more stdout {rest!r}, stderr {stderr!r}")
        return took

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.stderr.close()

    def connection(self, timeout=TIMEOUT):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def raw_socket(self, timeout=TIMEOUT):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def request(self, method, path, body=None, headers=None, connection=None, chunked=False):
        """One request; returns (status, headers, body). Uses `connection` if given. `chunked`:
        send `body`, an iterable, with Transfer-Encoding: chunked."""
        own = connection is None
        connection = connection or self.connection()
        try:
            connection.request(method, path, body=body, headers=headers or {},
                               encode_chunked=chunked)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            if own:
                connection.close()

    def stats(self):
        status, headers, body = self.request("GET", "/__demo/stats")
        assert status == 200 and headers["Content-Type"] == "application/json", status
        return json.loads(body)

    def login(self, connection=None):
        """The seed's on_start: GET the login page, POST the form with X-CSRFToken. Returns the
        cookies (csrftoken, sessionid) as a Cookie header value."""
        status, headers, _ = self.request("GET", "/accounts/login/", connection=connection)
        assert status == 200, status
        csrf = set_cookies(headers)["csrftoken"]["value"]
        status, headers, _ = self.request(
            "POST", "/accounts/login/", body=form(username=USERNAME, password=PASSWORD),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf},
            connection=connection)
        assert status == 302, status
        session = set_cookies(headers)["sessionid"]["value"]
        return f"csrftoken={csrf}; sessionid={session}"


def set_cookies(headers):
    """{name: {"value": v, "attributes": {lowercase name: value or True}}} from Set-Cookie."""
    cookies = {}
    for line in headers.get_all("Set-Cookie") or []:
        parts = [part.strip() for part in line.split(";")]
        name, _, value = parts[0].partition("=")
        attributes = {}
        for part in parts[1:]:
            key, equals, attribute = part.partition("=")
            attributes[key.lower()] = attribute if equals else True
        cookies[name] = {"value": value, "attributes": attributes}
    return cookies


def form(**fields):
    return urllib.parse.urlencode(fields)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def read_raw_response(reader):
    """Reads one response from a socket's binary file: (status line, {lowercase name: value},
    body), or None at EOF."""
    status_line = reader.readline()
    if not status_line:
        return None
    headers = {}
    while True:
        line = reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = reader.read(int(headers.get("content-length", "0")))
    return status_line.decode("latin-1").rstrip("\r\n"), headers, body


def at_eof(sock):
    """True if the server closed the connection (reading gives EOF or a reset)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def flatten(stats):
    """{(route, method, status): count} from a /__demo/stats document."""
    return {(route, method, status): count
            for route, methods in stats["routes"].items()
            for method, statuses in methods.items()
            for status, count in statuses.items()}


def difference(after, before):
    """Counts in `after` minus those in `before`, zeros left out."""
    keys = set(after) | set(before)
    return {key: after.get(key, 0) - before.get(key, 0)
            for key in keys if after.get(key, 0) != before.get(key, 0)}


class StartupTest(unittest.TestCase):
    """Command line, the listening line, exit codes."""

    def run_binary(self, *args):
        return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=TIMEOUT)

    def test_listening_line_then_clean_exit_on_sigterm(self):
        server = DemoServer()
        self.assertEqual(server.scheme, "http")
        self.assertGreater(server.port, 0)
        self.assertEqual(server.request("GET", "/nope")[0], 404)
        server.stop(signal.SIGTERM)

    def test_clean_exit_on_sigint(self):
        DemoServer("--threads", "3").stop(signal.SIGINT)

    def test_help(self):
        result = self.run_binary("--help")
        self.assertEqual(result.returncode, 0)
        for flag in ("--host", "--port", "--threads", "--heavy-delay", "--tls-cert", "--tls-key"):
            self.assertIn(flag, result.stdout)
        self.assertEqual(result.stderr, "")

    def test_bad_flags_exit_2_with_a_message(self):
        with tempfile.NamedTemporaryFile() as existing:
            cases = [["--bogus"], ["--port", "abc"], ["--port", "70000"], ["--port", "-1"],
                     ["--threads", "0"], ["--threads", "x"], ["--heavy-delay", "150-50"],
                     ["--heavy-delay", "a-b"], ["--heavy-delay", "-5"], ["--heavy-delay", ""],
                     ["--tls-cert", existing.name], ["--tls-key", existing.name],
                     ["--tls-cert", "/nonexistent.pem", "--tls-key", existing.name],
                     ["unexpected"], ["--port"]]
            for args in cases:
                with self.subTest(args=args):
                    result = self.run_binary(*args)
                    self.assertEqual(result.returncode, 2, result.stderr)
                    self.assertEqual(result.stdout, "")
                    self.assertTrue(result.stderr.startswith("hornet-demo: "), result.stderr)

    def test_bind_failure_exits_1(self):
        with socket.socket() as occupier:
            occupier.bind(("127.0.0.1", 0))
            occupier.listen()
            port = occupier.getsockname()[1]
            result = self.run_binary("--port", str(port))
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)
        self.assertIn("in use", result.stderr)

    def test_unresolvable_host_exits_1(self):
        result = self.run_binary("--host", "no-such-host.invalid", "--port", "0")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot resolve --host", result.stderr)

    def test_unusable_tls_files_exit_1(self):
        with tempfile.TemporaryDirectory() as directory:
            junk = Path(directory, "junk.pem")
            junk.write_text("not a certificate\n")
            result = self.run_binary("--port", "0", "--tls-cert", str(junk), "--tls-key", str(junk))
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot load the TLS certificate", result.stderr)


class SiteTest(unittest.TestCase):
    """The routes of the seed's locustfile, and HTTP behaviour around them."""

    @classmethod
    def setUpClass(cls):
        cls.server = DemoServer("--threads", "2")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_login_page_sets_a_csrf_cookie(self):
        status, headers, body = self.server.request("GET", "/accounts/login/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        cookie = set_cookies(headers)["csrftoken"]
        self.assertRegex(cookie["value"], TOKEN)
        self.assertEqual(cookie["attributes"].get("path"), "/")
        self.assertEqual(cookie["attributes"].get("samesite"), "Lax")
        self.assertNotIn("httponly", cookie["attributes"])  # JavaScript reads it, as in Django
        self.assertIn(b"<form", body)
        self.assertIn(f'value="{cookie["value"]}"'.encode(), body)

    def test_login_page_keeps_an_existing_csrf_cookie(self):
        token = "A" * 16 + "b" * 16
        status, headers, body = self.server.request(
            "GET", "/accounts/login/", headers={"Cookie": f"other=1; csrftoken={token}"})
        self.assertEqual(status, 200)
        self.assertIsNone(headers.get("Set-Cookie"))
        self.assertIn(token.encode(), body)

    def test_login_page_replaces_a_malformed_csrf_cookie(self):
        status, headers, body = self.server.request(
            "GET", "/accounts/login/", headers={"Cookie": 'csrftoken="><script>'})
        self.assertEqual(status, 200)
        self.assertRegex(set_cookies(headers)["csrftoken"]["value"], TOKEN)
        self.assertNotIn(b"<script>", body)

    def test_login_post_is_403_without_a_matching_csrf_token(self):
        token = "x" * 32
        cases = {
            "no cookie, no header": {},
            "no cookie": {"X-CSRFToken": token},
            "no header": {"Cookie": f"csrftoken={token}"},
            "wrong header": {"Cookie": f"csrftoken={token}", "X-CSRFToken": "y" * 32},
        }
        for name, headers in cases.items():
            with self.subTest(name):
                status, response_headers, body = self.server.request(
                    "POST", "/accounts/login/",
                    body=form(username=USERNAME, password=PASSWORD), headers={**FORM, **headers})
                self.assertEqual(status, 403)
                self.assertTrue(response_headers["Content-Type"].startswith("text/plain"))
                self.assertIn(b"CSRF verification failed", body)
                self.assertIsNone(response_headers.get("Set-Cookie"))

    def test_login_post_is_401_for_wrong_credentials(self):
        token = "z" * 32
        headers = {**FORM, "Cookie": f"csrftoken={token}", "X-CSRFToken": token}
        for fields in ({"username": USERNAME, "password": "wrong"},
                       {"username": "admin", "password": PASSWORD},
                       {"username": USERNAME},
                       {}):
            with self.subTest(fields=fields):
                status, response_headers, body = self.server.request(
                    "POST", "/accounts/login/", body=form(**fields), headers=headers)
                self.assertEqual(status, 401)
                self.assertIn(b"correct username and password", body)
                self.assertIsNone(response_headers.get("Set-Cookie"))

    def test_login_accepts_the_form_field_like_django(self):
        token = "f" * 32
        status, headers, _ = self.server.request(
            "POST", "/accounts/login/",
            body=form(csrfmiddlewaretoken=token, username=USERNAME, password=PASSWORD),
            headers={**FORM, "Cookie": f"csrftoken={token}"})
        self.assertEqual(status, 302)

    def test_login_sets_an_http_only_session_and_redirects(self):
        token = "q" * 32
        status, headers, _ = self.server.request(
            "POST", "/accounts/login/", body=form(username=USERNAME, password=PASSWORD),
            headers={**FORM, "Cookie": f"csrftoken={token}", "X-CSRFToken": token})
        self.assertEqual(status, 302)
        self.assertEqual(headers["Location"], "/")
        session = set_cookies(headers)["sessionid"]
        self.assertRegex(session["value"], r"^[a-z0-9]{32}$")
        self.assertIs(session["attributes"].get("httponly"), True)
        self.assertEqual(session["attributes"].get("path"), "/")

    def test_login_redirects_to_a_safe_next(self):
        token = "n" * 32
        headers = {**FORM, "Cookie": f"csrftoken={token}", "X-CSRFToken": token}
        for path, fields, location in (
                ("/accounts/login/?next=/heavy_url/", {}, "/heavy_url/"),
                ("/accounts/login/", {"next": "/another_heavy_ajax_url/"},
                 "/another_heavy_ajax_url/"),
                ("/accounts/login/?next=//evil.example/", {}, "/"),
                ("/accounts/login/?next=http://evil.example/", {}, "/")):
            with self.subTest(path=path, fields=fields):
                status, response_headers, _ = self.server.request(
                    "POST", path, body=form(username=USERNAME, password=PASSWORD, **fields),
                    headers=headers)
                self.assertEqual(status, 302)
                self.assertEqual(response_headers["Location"], location)

    def test_index_redirects_to_login_without_a_valid_session(self):
        for headers in ({}, {"Cookie": "sessionid=" + "0" * 32}, {"Cookie": "sessionid="}):
            with self.subTest(headers=headers):
                status, response_headers, _ = self.server.request("GET", "/", headers=headers)
                self.assertEqual(status, 302)
                self.assertEqual(response_headers["Location"], "/accounts/login/?next=/")

    def test_index_after_login_is_about_17_kb_of_html(self):
        cookies = self.server.login()
        status, headers, body = self.server.request("GET", "/", headers={"Cookie": cookies})
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIsNone(headers.get("Content-Encoding"))
        self.assertEqual(len(body), INDEX_SIZE)
        self.assertTrue(body.startswith(b"<!DOCTYPE html>"))
        self.assertTrue(body.rstrip().endswith(b"</html>"))

    def test_seed_flow_with_a_cookie_jar_and_redirects(self):
        # What a browser-like client does: urllib keeps the cookies and follows the 302.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{self.server.port}"
        with opener.open(base + "/accounts/login/", timeout=TIMEOUT) as response:
            self.assertEqual(response.status, 200)
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        login = urllib.request.Request(
            base + "/accounts/login/", data=form(username=USERNAME, password=PASSWORD).encode(),
            headers={"X-CSRFToken": csrf})
        with opener.open(login, timeout=TIMEOUT) as response:  # follows 302 to /
            self.assertEqual(response.status, 200)
            self.assertEqual(response.url, base + "/")
            self.assertEqual(len(response.read()), INDEX_SIZE)
        self.assertIn("sessionid", {cookie.name for cookie in jar})
        # Without the session, / sends the client to the login page.
        with urllib.request.urlopen(base + "/", timeout=TIMEOUT) as response:
            self.assertEqual(response.url, base + "/accounts/login/?next=/")

    def test_index_is_gzip_compressed_when_accepted(self):
        cookies = self.server.login()
        _, _, identity = self.server.request("GET", "/", headers={"Cookie": cookies})
        for accept, compressed in (("gzip", True), ("gzip, deflate, br", True),
                                   ("deflate, gzip;q=0.5", True), ("*", True), ("GZIP", True),
                                   ("gzip;q=0", False), ("gzip;q=0.000, *", False),
                                   ("br", False), ("identity", False), ("", False)):
            with self.subTest(accept=accept):
                status, headers, body = self.server.request(
                    "GET", "/", headers={"Cookie": cookies, "Accept-Encoding": accept})
                self.assertEqual(status, 200)
                self.assertIn("Accept-Encoding", headers["Vary"])
                if compressed:
                    self.assertEqual(headers["Content-Encoding"], "gzip")
                    self.assertLess(len(body), len(identity))
                    self.assertEqual(gzip.decompress(body), identity)
                else:
                    self.assertIsNone(headers.get("Content-Encoding"))
                    self.assertEqual(body, identity)

    def test_ajax_url_needs_x_requested_with(self):
        connection = self.server.connection()
        status, headers, body = self.server.request(
            "GET", "/another_heavy_ajax_url/", connection=connection)
        self.assertEqual(status, 400)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertIn("X-Requested-With", json.loads(body)["error"])
        # An application-level 400: the connection stays usable.
        status, headers, body = self.server.request(
            "GET", "/another_heavy_ajax_url/", headers={"X-Requested-With": "XMLHttpRequest"},
            connection=connection)
        connection.close()
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        document = json.loads(body)
        self.assertEqual(document["status"], "ok")
        self.assertEqual(len(document["items"]), document["count"])

    def test_unknown_paths_are_404(self):
        for method, path in (("GET", "/nope"), ("GET", "/heavy_url"), ("POST", "/nope/"),
                             ("GET", "/accounts/login"), ("DELETE", "/__demo/statsx")):
            with self.subTest(method=method, path=path):
                self.assertEqual(self.server.request(method, path)[0], 404)

    def test_wrong_method_is_405_with_allow(self):
        for method, path, allow in (("POST", "/", "GET, HEAD"),
                                    ("PUT", "/accounts/login/", "GET, HEAD, POST"),
                                    ("DELETE", "/heavy_url/", "GET, HEAD"),
                                    ("POST", "/another_heavy_ajax_url/", "GET, HEAD"),
                                    ("PATCH", "/__demo/stats", "GET, HEAD")):
            with self.subTest(method=method, path=path):
                status, headers, _ = self.server.request(method, path, body=b"")
                self.assertEqual(status, 405)
                self.assertEqual(headers["Allow"], allow)

    def test_head_sends_the_headers_of_get_without_a_body(self):
        connection = self.server.connection()
        status, headers, body = self.server.request("HEAD", "/accounts/login/",
                                                    connection=connection)
        self.assertEqual(status, 200)
        self.assertGreater(int(headers["Content-Length"]), 100)
        self.assertEqual(body, b"")
        # No stray body bytes on the connection: the next response parses.
        status, _, body = self.server.request("GET", "/nope", connection=connection)
        connection.close()
        self.assertEqual((status, body), (404, b"404 Not Found\n"))

    def test_keep_alive(self):
        connection = self.server.connection()
        for _ in range(20):
            self.assertEqual(self.server.request("GET", "/nope", connection=connection)[0], 404)
        connection.close()

    def test_pipelined_requests_are_answered_in_order(self):
        with self.server.raw_socket() as sock, sock.makefile("rb") as reader:
            sock.sendall(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                         b"GET /another_heavy_ajax_url/ HTTP/1.1\r\nHost: x\r\n"
                         b"X-Requested-With: XMLHttpRequest\r\n\r\n"
                         b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            statuses = [read_raw_response(reader)[0] for _ in range(3)]
        self.assertEqual(statuses, ["HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK",
                                    "HTTP/1.1 405 Method Not Allowed"])

    def test_http_1_0_closes_after_the_response(self):
        with self.server.raw_socket() as sock, sock.makefile("rb") as reader:
            sock.sendall(b"GET /nope HTTP/1.0\r\n\r\n")
            status_line, _, body = read_raw_response(reader)
            self.assertEqual(status_line, "HTTP/1.0 404 Not Found")
            self.assertEqual(body, b"404 Not Found\n")
            self.assertEqual(reader.read(), b"")

    def test_malformed_requests_get_400_and_close(self):
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                    b"GET / HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
                    b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
            with self.subTest(raw=raw), self.server.raw_socket() as sock, \
                    sock.makefile("rb") as reader:
                sock.sendall(raw)
                if not raw.endswith(b"\n"):
                    sock.shutdown(socket.SHUT_WR)  # no more is coming: the parser must decide
                response = read_raw_response(reader)
                self.assertIsNotNone(response, "closed without a response")
                status_line, headers, _ = response
                self.assertTrue(status_line.startswith("HTTP/1.1 400 "), status_line)
                self.assertEqual(headers.get("connection"), "close")
                self.assertEqual(reader.read(), b"")

    def test_oversized_headers_get_431_and_close(self):
        with self.server.raw_socket() as sock, sock.makefile("rb") as reader:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
            status_line, headers, _ = read_raw_response(reader)
            self.assertEqual(status_line, "HTTP/1.1 431 Request Header Fields Too Large")
            self.assertEqual(headers.get("connection"), "close")
            self.assertEqual(reader.read(), b"")

    def test_bodies_over_1_mib_get_413(self):
        status, headers, body = self.server.request(
            "POST", "/accounts/login/", body=b"x" * (MIB + 1), headers=FORM)
        self.assertEqual(status, 413)
        self.assertEqual(headers["Connection"], "close")
        self.assertIn(b"1 MiB", body)
        # Exactly 1 MiB is allowed (and then fails the CSRF check, as it should).
        self.assertEqual(self.server.request("POST", "/accounts/login/", body=b"x" * MIB,
                                             headers=FORM)[0], 403)
        # Chunked, so the size is only known while reading.
        chunks = (b"y" * 65536 for _ in range(17))
        status, _, _ = self.server.request("POST", "/accounts/login/", body=chunks,
                                           headers={**FORM, "Transfer-Encoding": "chunked"},
                                           chunked=True)
        self.assertEqual(status, 413)

    def test_an_endless_chunk_size_line_gets_400(self):
        # Beast needs a chunk-size line whole before it parses it: the read buffer is bounded.
        with self.server.raw_socket() as sock, sock.makefile("rb") as reader:
            sock.sendall(b"POST /accounts/login/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
            try:
                for _ in range(64):
                    sock.sendall(b"f" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server stopped reading: fine, if a 400 is waiting
            status_line, headers, _ = read_raw_response(reader)
        self.assertTrue(status_line.startswith("HTTP/1.1 400 "), status_line)
        self.assertEqual(headers.get("connection"), "close")

    def test_expect_100_continue(self):
        body = form(username=USERNAME, password=PASSWORD).encode()
        with self.server.raw_socket() as sock, sock.makefile("rb") as reader:
            sock.sendall(b"POST /accounts/login/ HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
            self.assertEqual(read_raw_response(reader)[0], "HTTP/1.1 100 Continue")
            sock.sendall(body)
            self.assertEqual(read_raw_response(reader)[0], "HTTP/1.1 403 Forbidden")

    def test_stats_route_is_json_and_does_not_count_itself(self):
        first = self.server.stats()
        second = self.server.stats()
        self.assertEqual(first["routes"], second["routes"])
        for route in ("/accounts/login/", "/", "/heavy_url/", "/another_heavy_ajax_url/",
                      "(unknown)", "(malformed)"):
            self.assertIn(route, first["routes"])
        self.assertNotIn("/__demo/stats", first["routes"])


class HeavyUrlTest(unittest.TestCase):
    """/heavy_url/ answers after its delay, from a timer: other requests go on meanwhile."""

    def timed_get(self, server, path="/heavy_url/"):
        start = time.monotonic()
        status, _, body = server.request("GET", path)
        return status, time.monotonic() - start, body

    def test_default_delay_is_uniform_between_50_and_150_ms(self):
        server = DemoServer()  # one thread: the delays must not block it
        try:
            with concurrent.futures.ThreadPoolExecutor(30) as pool:
                start = time.monotonic()
                results = list(pool.map(lambda _: self.timed_get(server), range(30)))
                wall = time.monotonic() - start
        finally:
            server.stop()
        times = [elapsed for _, elapsed, _ in results]
        self.assertTrue(all(status == 200 for status, _, _ in results))
        self.assertGreaterEqual(min(times), 0.050)
        self.assertLess(max(times), 0.150 + 0.5)  # slack for a loaded machine
        # Uniform over 50-150 ms: 30 samples all above 90 ms (or all below 110 ms) would
        # happen once in millions of runs.
        self.assertLess(min(times), 0.090)
        self.assertGreater(max(times), 0.110)
        # Served concurrently by one thread: far less than 30 delays in a row (>= 1.5 s).
        self.assertLess(wall, 1.2)

    def test_fixed_delay_and_other_requests_meanwhile(self):
        server = DemoServer("--heavy-delay", "400-400")
        try:
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                slow = pool.submit(self.timed_get, server)
                time.sleep(0.05)
                status, elapsed, _ = self.timed_get(server, "/nope")
                self.assertEqual(status, 404)
                self.assertLess(elapsed, 0.2)  # not queued behind the heavy request
                status, elapsed, _ = slow.result()
            self.assertEqual(status, 200)
            self.assertGreaterEqual(elapsed, 0.4)
            self.assertLess(elapsed, 0.9)
        finally:
            server.stop()

    def test_no_delay(self):
        server = DemoServer("--heavy-delay", "0")
        try:
            connection = server.connection()
            start = time.monotonic()
            for _ in range(20):
                self.assertEqual(server.request("GET", "/heavy_url/", connection=connection)[0],
                                 200)
            connection.close()
            self.assertLess(time.monotonic() - start, 0.5)
        finally:
            server.stop()


class StatsTest(unittest.TestCase):
    """/__demo/stats counts exactly what was served, also with concurrent clients and threads."""

    @classmethod
    def setUpClass(cls):
        cls.server = DemoServer("--threads", "2", "--heavy-delay", "0-5")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_counts_each_route_and_status(self):
        server = self.server
        before = server.stats()
        cookies = server.login()                                       # GET 200, POST 302
        server.login()                                                 # GET 200, POST 302
        token = "t" * 32
        csrf = {**FORM, "Cookie": f"csrftoken={token}", "X-CSRFToken": token}
        server.request("POST", "/accounts/login/", body=form(username=USERNAME), headers=FORM)
        server.request("POST", "/accounts/login/", body="", headers={"Cookie": csrf["Cookie"]})
        server.request("POST", "/accounts/login/", body=form(username="u", password="p"),
                       headers=csrf)                                   # 401
        server.request("POST", "/accounts/login/", body=b"x" * (MIB + 1), headers=csrf)  # 413
        server.request("HEAD", "/accounts/login/")
        for _ in range(4):
            server.request("GET", "/", headers={"Cookie": cookies})
        server.request("GET", "/", headers={"Cookie": cookies, "Accept-Encoding": "gzip"})
        server.request("GET", "/")                                     # 302
        for _ in range(3):
            server.request("GET", "/heavy_url/")
        for _ in range(2):
            server.request("GET", "/another_heavy_ajax_url/",
                           headers={"X-Requested-With": "XMLHttpRequest"})
        server.request("GET", "/another_heavy_ajax_url/")             # 400
        server.request("GET", "/nope")
        server.request("GET", "/nope/either")
        server.request("POST", "/", body="")                          # 405
        with server.raw_socket() as sock, sock.makefile("rb") as reader:
            sock.sendall(b"GARBAGE\r\n\r\n")                         # 400, malformed
            read_raw_response(reader)
        after = server.stats()

        expected = {
            ("/accounts/login/", "GET", "200"): 2,
            ("/accounts/login/", "POST", "302"): 2,
            ("/accounts/login/", "POST", "403"): 2,
            ("/accounts/login/", "POST", "401"): 1,
            ("/accounts/login/", "POST", "413"): 1,
            ("/accounts/login/", "HEAD", "200"): 1,
            ("/", "GET", "200"): 5,
            ("/", "GET", "302"): 1,
            ("/heavy_url/", "GET", "200"): 3,
            ("/another_heavy_ajax_url/", "GET", "200"): 2,
            ("/another_heavy_ajax_url/", "GET", "400"): 1,
            ("(unknown)", "GET", "404"): 2,
            ("/", "POST", "405"): 1,
            ("(malformed)", "OTHER", "400"): 1,
        }
        self.assertEqual(difference(flatten(after), flatten(before)), expected)
        self.assertEqual(after["responses"] - before["responses"], sum(expected.values()))
        self.assertEqual(after["logins_succeeded"] - before["logins_succeeded"], 2)
        self.assertEqual(after["csrf_rejections"] - before["csrf_rejections"], 2)
        self.assertEqual(after["bad_credentials"] - before["bad_credentials"], 1)

    def test_counts_are_exact_under_concurrency(self):
        users, rounds = 8, 25

        def user(_):
            # The seed's user, on one keep-alive connection: log in, then its tasks.
            connection = self.server.connection()
            cookies = self.server.login(connection)
            for _ in range(rounds):
                self.server.request("GET", "/", headers={"Cookie": cookies},
                                    connection=connection)
                self.server.request("GET", "/heavy_url/", connection=connection)
                self.server.request("GET", "/another_heavy_ajax_url/",
                                    headers={"X-Requested-With": "XMLHttpRequest"},
                                    connection=connection)
            connection.close()

        before = self.server.stats()
        with concurrent.futures.ThreadPoolExecutor(users) as pool:
            list(pool.map(user, range(users)))
        after = self.server.stats()
        self.assertEqual(difference(flatten(after), flatten(before)), {
            ("/accounts/login/", "GET", "200"): users,
            ("/accounts/login/", "POST", "302"): users,
            ("/", "GET", "200"): users * rounds,
            ("/heavy_url/", "GET", "200"): users * rounds,
            ("/another_heavy_ajax_url/", "GET", "200"): users * rounds,
        })
        self.assertEqual(after["logins_succeeded"] - before["logins_succeeded"], users)
        # Keep-alive: one connection per user, plus the one that read the stats.
        accepted = after["connections"]["accepted"] - before["connections"]["accepted"]
        self.assertEqual(accepted, users + 1)


class RobustnessTest(unittest.TestCase):
    """Clients that stall, send garbage or vanish must not affect the others."""

    def test_bad_clients_do_not_disturb_good_ones(self):
        server = DemoServer("--threads", "1")
        sockets = []
        try:
            half_sent = server.raw_socket()
            half_sent.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Partial: ")
            half_body = server.raw_socket()
            half_body.sendall(b"POST /accounts/login/ HTTP/1.1\r\nContent-Length: 100\r\n\r\nab")
            silent = server.raw_socket()
            garbage = server.raw_socket()
            garbage.sendall(b"\x00\xff garbage \x01\r\n\r\n")
            sockets += [half_sent, half_body, silent, garbage]
            # A client that disconnects mid-request, and one that leaves during the delay.
            with server.raw_socket() as leaver:
                leaver.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHo")
            with server.raw_socket() as leaver:
                leaver.sendall(b"GET /heavy_url/ HTTP/1.1\r\nHost: x\r\n\r\n")

            start = time.monotonic()
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                statuses = list(pool.map(lambda _: server.request("GET", "/nope")[0], range(40)))
            self.assertEqual(statuses, [404] * 40)
            self.assertEqual(server.request("GET", "/", headers={"Cookie": server.login()})[0],
                             200)
            self.assertLess(time.monotonic() - start, 3.0)

            with garbage.makefile("rb") as reader:
                self.assertTrue(read_raw_response(reader)[0].startswith("HTTP/1.1 400"))
            # The stalled ones are still open, waiting for the rest (or the idle timeout).
            for stalled in (half_sent, half_body, silent):
                stalled.settimeout(0.2)
                with self.assertRaises(socket.timeout):
                    stalled.recv(1)
        finally:
            for sock in sockets:
                sock.close()
            server.stop()

    def test_idle_timeout_closes_stalled_connections(self):
        server = DemoServer("--idle-timeout", "1")
        try:
            before = server.stats()["connections"]["timed_out"]
            half_sent = server.raw_socket()
            half_sent.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            idle = server.raw_socket()
            idle.sendall(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
            with idle.makefile("rb") as reader:
                self.assertEqual(read_raw_response(reader)[0], "HTTP/1.1 404 Not Found")
            start = time.monotonic()
            for sock in (half_sent, idle):
                sock.settimeout(5)
                self.assertTrue(at_eof(sock))
                sock.close()
            self.assertLess(time.monotonic() - start, 3.0)
            self.assertEqual(server.stats()["connections"]["timed_out"] - before, 2)
        finally:
            server.stop()


class SignalTest(unittest.TestCase):
    """SIGINT/SIGTERM drain: requests in flight finish, idle connections close, exit 0."""

    def test_sigterm_lets_a_request_in_flight_finish(self):
        server = DemoServer("--heavy-delay", "800")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            connection = server.connection()
            pending = pool.submit(server.request, "GET", "/heavy_url/", None, None, connection)
            time.sleep(0.3)
            took = server.stop(signal.SIGTERM)
            status, headers, _ = pending.result()
            connection.close()
        self.assertEqual(status, 200)
        self.assertEqual(headers["Connection"], "close")
        self.assertLess(took, 3.0)

    def test_idle_keep_alive_connections_do_not_delay_the_exit(self):
        server = DemoServer()
        connection = server.connection()
        self.assertEqual(server.request("GET", "/nope", connection=connection)[0], 404)
        with server.raw_socket() as silent:
            took = server.stop(signal.SIGINT)
            self.assertTrue(at_eof(silent))
        connection.close()
        self.assertLess(took, 2.0)

    def test_a_stalled_request_is_cut_off_after_the_grace_period(self):
        server = DemoServer()
        with server.raw_socket() as stalled:
            stalled.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.1)
            took = server.stop(signal.SIGTERM, timeout=15)
        self.assertGreater(took, 4.0)
        self.assertLess(took, 10.0)


class TlsTest(unittest.TestCase):
    """--tls-cert/--tls-key: the same site over HTTPS, with SNI and ALPN."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.cert = os.path.join(cls.directory.name, "cert.pem")
        cls.key = os.path.join(cls.directory.name, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", cls.key, "-out", cls.cert, "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True, timeout=TIMEOUT)
        cls.server = DemoServer("--threads", "2", "--tls-cert", cls.cert, "--tls-key", cls.key)
        cls.context = ssl.create_default_context(cafile=cls.cert)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.directory.cleanup()

    def https(self, host="localhost"):
        return http.client.HTTPSConnection(host, self.server.port, timeout=TIMEOUT,
                                           context=self.context)

    def tls_stats(self):
        connection = self.https()
        status, _, body = self.server.request("GET", "/__demo/stats", connection=connection)
        connection.close()
        self.assertEqual(status, 200)
        return json.loads(body)

    def test_listening_line_says_https(self):
        self.assertEqual(self.server.scheme, "https")

    def test_seed_flow_over_https(self):
        connection = self.https()  # SNI "localhost", certificate and host name verified
        cookies = self.server.login(connection)
        for path, headers, status in (
                ("/", {"Cookie": cookies}, 200),
                ("/heavy_url/", {}, 200),
                ("/another_heavy_ajax_url/", {"X-Requested-With": "XMLHttpRequest"}, 200),
                ("/nope", {}, 404)):
            self.assertEqual(self.server.request("GET", path, headers=headers,
                                                 connection=connection)[0], status)
        status, headers, body = self.server.request(
            "GET", "/", headers={"Cookie": cookies, "Accept-Encoding": "gzip"},
            connection=connection)
        connection.close()
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(len(gzip.decompress(body)), INDEX_SIZE)

    def test_ip_address_without_sni(self):
        connection = self.https("127.0.0.1")  # Python sends no SNI for an IP address
        self.assertEqual(self.server.request("GET", "/nope", connection=connection)[0], 404)
        connection.close()

    def test_any_sni_name_is_accepted(self):
        context = ssl.create_default_context(cafile=self.cert)
        context.check_hostname = False  # the certificate is for localhost
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT) as raw:
            with context.wrap_socket(raw, server_hostname="other.example") as tls:
                tls.sendall(b"GET /nope HTTP/1.1\r\nHost: other.example\r\n\r\n")
                self.assertTrue(tls.recv(4096).startswith(b"HTTP/1.1 404"))

    def test_alpn_selects_http_1_1(self):
        context = ssl.create_default_context(cafile=self.cert)
        context.set_alpn_protocols(["h2", "http/1.1"])
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=TIMEOUT) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                self.assertEqual(tls.selected_alpn_protocol(), "http/1.1")

    def test_plain_http_to_the_tls_port_is_refused_without_harm(self):
        before = self.tls_stats()["connections"]["tls_handshake_failed"]
        with self.server.raw_socket() as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.settimeout(TIMEOUT)
            try:
                sock.recv(4096)  # maybe a TLS alert; then the server closes
            except ConnectionResetError:
                pass
            self.assertTrue(at_eof(sock))
        after = self.tls_stats()["connections"]["tls_handshake_failed"]
        self.assertEqual(after - before, 1)


def main():
    global BINARY
    args = sys.argv[1:]
    if args and not args[0].startswith("-") and os.path.isfile(args[0]):
        BINARY = args.pop(0)
    else:
        BINARY = os.environ.get("HORNET_DEMO") or str(DEFAULT_BINARY)
    if not os.access(BINARY, os.X_OK):
        print(f"test_demo_target: no executable hornet-demo at {BINARY} "
              "(pass its path, or set HORNET_DEMO)", file=sys.stderr)
        return 2
    BINARY = os.path.abspath(BINARY)
    unittest.main(argv=[sys.argv[0], *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
