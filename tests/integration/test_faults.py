#!/usr/bin/env python3
"""Broken servers: a refused port, a server that closes before answering or mid-response, one
that sends garbage (and closes, or lingers), one slower than --request-timeout, a truncated
chunked body, oversized or too many header fields. Each must give counted failures with a clear
message in {prefix}_failures.csv and exit code 1 (--exit-code-on-error), never a crash or a hang.

    python3 test_faults.py plain=PATH [-v]
"""

import socket
import unittest

import itest
from itest_server import ServerTestCase, refused_port

USERS = 2


class FaultTest(ServerTestCase):

    def run_plain(self, url, *flags, path="/", run_time="2s"):
        """The plain scenario against `url`, USERS users waiting 50 ms between requests."""
        hornet = itest.run("plain", "-H", url, "-u", str(USERS), "-r", "100", "-t", run_time,
                           "--headless", *flags, env={"ITEST_PATH": path, "ITEST_WAIT": "0.05"})
        self.addCleanup(hornet.close)
        return hornet

    def assert_only_failures(self, hornet, path, error_pattern, exit_code=1):
        """Every request of the run failed, all with one error matching `error_pattern`; the
        failures CSV, the stats CSV and the server's count agree. Returns the error."""
        self.assertEqual(hornet.code, exit_code, hornet.describe())
        failures = hornet.failures()
        self.assertEqual(len(failures), 1, failures)
        (method, name, error), occurrences = next(iter(failures.items()))
        self.assertEqual((method, name), ("GET", path))
        self.assertRegex(error, error_pattern)
        self.assertGreaterEqual(occurrences, 1)
        self.assertEqual(hornet.count("GET", path), occurrences)
        self.assertEqual(hornet.failure_count("GET", path), occurrences)
        aggregated = hornet.stats()[("", "Aggregated")]
        self.assertEqual(int(aggregated["Failure Count"]), occurrences)
        # The error report on stderr names it too.
        self.assertIn(f"GET {path}: {error}", hornet.stderr)
        return error, occurrences

    def assert_matches_server(self, path, occurrences):
        """Each request the server received is one failure (no retries, no lost requests),
        except those still in flight when the run ended."""
        received = self.server.count(path=path.split("?")[0])
        self.assertLessEqual(occurrences, received)
        self.assertGreaterEqual(occurrences, received - USERS)

    def test_refused_port(self):
        sock = refused_port()
        self.addCleanup(sock.close)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        hornet = self.run_plain(url, path="/refused")
        self.assert_only_failures(hornet, "/refused",
                                  r"^ConnectionRefusedError\(111, 'Connection refused'\)$")

    def test_connect_timeout(self):
        # A listening socket whose accept queue is full and never drained: SYNs go unanswered.
        listener = socket.socket()
        self.addCleanup(listener.close)
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(3):
            filler = socket.socket()
            self.addCleanup(filler.close)
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
        hornet = self.run_plain(f"http://127.0.0.1:{port}", "--connect-timeout", "0.5",
                                path="/unanswered", run_time="3s")
        self.assert_only_failures(hornet, "/unanswered", r"^ConnectTimeout\(.*0\.5 s.*\)$")
        row = hornet.stats()[("GET", "/unanswered")]
        self.assertGreaterEqual(float(row["Min Response Time"]), 500.0 * 0.99)

    def test_close_before_response(self):
        path = "/fault/close-before"
        hornet = self.run_plain(self.server.url, path=path)
        _, n = self.assert_only_failures(
            hornet, path,
            r"^RemoteDisconnected\('Remote end closed connection without response'\)$")
        self.assert_matches_server(path, n)

    def test_close_mid_response(self):
        path = "/fault/close-mid"
        hornet = self.run_plain(self.server.url, path=path)
        _, n = self.assert_only_failures(hornet, path, r"^IncompleteRead\(.*10 of 1000.*\)$")
        self.assert_matches_server(path, n)

    def test_garbage_then_close(self):
        path = "/fault/garbage"
        hornet = self.run_plain(self.server.url, path=path)
        _, n = self.assert_only_failures(hornet, path, r"^InvalidResponse\(.*HTTP.*\)$")
        self.assert_matches_server(path, n)

    def test_garbage_on_an_open_connection(self):
        # The server sends a complete line that is not a status line and keeps the connection
        # open: Hornet must fail at once, not wait for more bytes until the timeout.
        path = "/fault/garbage-linger"
        hornet = self.run_plain(self.server.url, "--request-timeout", "30", path=path)
        _, n = self.assert_only_failures(hornet, path, r"^InvalidResponse\(.*SSH-2\.0.*\)$")
        self.assert_matches_server(path, n)
        self.assertGreaterEqual(n, USERS * 2)  # more than one each: no wait for the timeout

    def test_slower_than_the_request_timeout(self):
        path = "/fault/slow"  # answers after 5 s
        hornet = self.run_plain(self.server.url, "--request-timeout", "0.5", path=path,
                                run_time="3s")
        error, n = self.assert_only_failures(hornet, path, r"^ReadTimeout\(.*0\.5 s.*\)$")
        self.assert_matches_server(path, n)
        # No request is recorded as faster than the timeout it hit.
        row = hornet.stats()[("GET", path)]
        self.assertGreaterEqual(float(row["Min Response Time"]), 500.0 * 0.99)

    def test_truncated_chunked_body(self):
        path = "/fault/truncated-chunked"
        hornet = self.run_plain(self.server.url, path=path)
        _, n = self.assert_only_failures(hornet, path, r"^IncompleteRead\(.*chunk.*\)$")
        self.assert_matches_server(path, n)

    def test_oversized_header_block(self):
        path = "/fault/oversized-headers"  # one 100 KB header field
        hornet = self.run_plain(self.server.url, path=path)
        _, n = self.assert_only_failures(hornet, path, r"^InvalidResponse\(.*header.*\)$")
        self.assert_matches_server(path, n)

    def test_too_many_header_fields(self):
        path = "/fault/too-many-headers"  # 300 fields
        hornet = self.run_plain(self.server.url, path=path)
        _, n = self.assert_only_failures(hornet, path, r"^InvalidResponse\(.*header.*\)$")
        self.assert_matches_server(path, n)

    def test_running_out_of_file_descriptors(self):
        # 300 users, 128 descriptors: the users that cannot open a socket count failures; the
        # others go on; the CSV files (opened first) are complete.
        if itest.sanitized("plain"):
            # The sanitizers' runtime needs descriptors too: UBSan's vptr check probes memory
            # through a pipe(2), and reports "invalid vptr" when it cannot create one.
            self.skipTest("not under sanitizers: they need file descriptors themselves")
        demo = itest.DemoTarget("--heavy-delay", "0")
        self.addCleanup(demo.stop)
        hornet = itest.run("plain", "-H", demo.url, "-u", "300", "-r", "300", "-t", "3s",
                           "--headless", max_open_files=128,
                           env={"ITEST_PATH": "/heavy_url/", "ITEST_WAIT": "0.5"})
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 1, hornet.describe())
        failures = hornet.failures()
        self.assertEqual(list(failures), [("GET", "/heavy_url/",
                                           "OSError(24, 'Too many open files')")])
        row = hornet.stats()[("GET", "/heavy_url/")]
        self.assertEqual(int(row["Failure Count"]), sum(failures.values()))
        self.assertGreater(int(row["Request Count"]), int(row["Failure Count"]))  # some got in

    def test_http_errors_and_a_custom_exit_code(self):
        path = "/status/503"
        hornet = self.run_plain(self.server.url, "--exit-code-on-error", "7", path=path)
        error, n = self.assert_only_failures(
            hornet, path, r"^HTTPError\('503 Server Error: Service Unavailable for url: "
            r"http://127\.0\.0\.1:\d+/status/503'\)$", exit_code=7)
        self.assertIn(f"{self.server.url}/status/503", error)
        self.assert_matches_server(path, n)
        self.assertIn("Shutting down (exit code 7)", hornet.stderr)

    def test_exit_code_on_error_zero(self):
        hornet = self.run_plain(self.server.url, "--exit-code-on-error", "0", path="/status/500")
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertGreater(sum(hornet.failures().values()), 0)
        self.assertIn("Shutting down (exit code 0)", hornet.stderr)

    def test_exit_code_zero_without_failures(self):
        hornet = self.run_plain(self.server.url, "--exit-code-on-error", "7", path="/ok")
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(hornet.failures(), {})
        self.assertGreater(hornet.count("GET", "/ok"), 0)
        self.assertIn("Shutting down (exit code 0)", hornet.stderr)


if __name__ == "__main__":
    itest.main()
