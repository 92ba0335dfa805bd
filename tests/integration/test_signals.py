#!/usr/bin/env python3
"""SIGINT and SIGTERM mid-run: the CSV files are complete (Locust's exact headers, every row),
the final tables are printed, and the process exits promptly, also with requests in flight.
With --stop-timeout users finish their task first, and a second signal cuts that short.

    python3 test_signals.py plain=PATH [-v]
"""

import signal
import time
import unittest

import itest
from itest_server import ServerTestCase

USERS = 3


class SignalTest(ServerTestCase):

    def start_plain(self, path, *flags, wait="0.02", full_history=False):
        hornet = itest.Hornet("plain", "-H", self.server.url, "-u", str(USERS), "-r", "100",
                              "--headless", *flags, env={"ITEST_PATH": path, "ITEST_WAIT": wait},
                              full_history=full_history)
        self.addCleanup(hornet.close)
        return hornet

    def wait_for_csv_rows(self, hornet, method, name):
        """Waits until the run has written a stats row for (method, name) with requests: the
        CSV files are written as the run goes, not only at the end."""
        def written():
            try:
                return hornet.count(method, name) > 0
            except (FileNotFoundError, KeyError, ValueError):
                return False
        itest.wait_until(written, itest.WAIT_TIMEOUT, f"a {method} {name} row in _stats.csv")

    def assert_complete_csvs(self, hornet, path, failed):
        """The four files have Locust's headers and agree with each other and the server."""
        for kind, header in (("stats", itest.STATS_HEADER), ("failures", itest.FAILURES_HEADER),
                             ("exceptions", itest.EXCEPTIONS_HEADER),
                             ("stats_history", itest.HISTORY_HEADER)):
            data = hornet.csv_bytes(kind)
            self.assertTrue(data.startswith(header.encode() + b"\r\n"), (kind, data[:300]))
            self.assertTrue(data.endswith(b"\r\n"), (kind, data[-100:]))

        stats = hornet.stats()
        self.assertEqual(list(stats), [("GET", path), ("", "Aggregated")])
        count = int(stats[("GET", path)]["Request Count"])
        self.assertEqual(int(stats[("", "Aggregated")]["Request Count"]), count)
        for row in stats.values():
            self.assertEqual(len(row), 22)
            for column in itest.PERCENTILES.split(","):
                int(row[column])  # whole milliseconds, as Locust writes them
        # Every request the server received, except those cut off by the signal.
        received = self.server.count(path=path)
        self.assertLessEqual(count, received)
        self.assertGreaterEqual(count, received - USERS)

        failures = hornet.failures()
        if failed:
            self.assertEqual(sum(failures.values()), count)
            self.assertEqual(int(stats[("GET", path)]["Failure Count"]), count)
        else:
            self.assertEqual(failures, {})
        self.assertEqual(hornet.exceptions(), [])

        history = hornet.history()
        self.assertGreaterEqual(len(history), 2)
        for row in history:
            self.assertRegex(row["Requests/s"], r"^\d+\.\d{6}$")  # Locust's f"{x:2f}"
            self.assertRegex(row["Failures/s"], r"^\d+\.\d{6}$")
        timestamps = [int(row["Timestamp"]) for row in history]
        self.assertEqual(timestamps, sorted(timestamps))
        for row in history:
            self.assertEqual(len(row), 24, row)
            self.assertNotIn(None, row.values(), row)
            for column in itest.PERCENTILES.split(","):
                self.assertRegex(row[column], r"^(\d+|N/A)$")
        final = [row for row in history if row["Name"] == "Aggregated"][-1]
        self.assertEqual(int(final["Total Request Count"]), count)
        self.assertEqual(int(final["Total Failure Count"]), count if failed else 0)
        return count

    def assert_final_tables(self, hornet, code):
        text = hornet.stderr
        self.assertIn(f"Shutting down (exit code {code})", text)
        tail = text[text.index("Shutting down"):]
        self.assertIn("Response time percentiles (approximated)", tail)
        self.assertIn(" Aggregated ", tail)

    def test_sigint_mid_run(self):
        path = "/ok"
        hornet = self.start_plain(path, full_history=True)
        self.wait_for_csv_rows(hornet, "GET", path)
        code, took = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())
        self.assertLess(took, 10.0)
        self.assert_complete_csvs(hornet, path, failed=False)
        self.assert_final_tables(hornet, 0)
        # --csv-full-history: a row per entry and one for the total at each write.
        history = hornet.history()
        self.assertEqual({(row["Type"], row["Name"]) for row in history},
                         {("GET", path), ("", "Aggregated")})

    def test_sigterm_mid_run_with_failures(self):
        path = "/status/503"
        hornet = self.start_plain(path)
        self.wait_for_csv_rows(hornet, "GET", path)
        code, took = hornet.stop(signal.SIGTERM)
        self.assertEqual(code, 1, hornet.describe())
        self.assertLess(took, 10.0)
        self.assert_complete_csvs(hornet, path, failed=True)
        self.assert_final_tables(hornet, 1)
        self.assertIn("Error report", hornet.stderr)
        # Without --csv-full-history the history has the total only.
        self.assertEqual({row["Name"] for row in hornet.history()}, {"Aggregated"})

    def assert_prompt_exit_with_requests_in_flight(self, sig):
        # Every user waits for a response that takes 30 s; without --stop-timeout the users
        # are stopped at once, and their requests are not counted.
        path = "/slow"
        before = self.server.count(path=path)
        hornet = self.start_plain(path + "?delay=30")
        self.server.wait_for(lambda: self.server.count(path=path) >= before + USERS,
                             itest.WAIT_TIMEOUT, f"{USERS} requests to {path}")
        code, took = hornet.stop(sig)
        self.assertEqual(code, 0, hornet.describe())
        self.assertLess(took, 10.0)
        # Nothing completed: Locust's row for an empty total.
        self.assertEqual(hornet.csv_bytes("stats").decode().split("\r\n")[1:],
                         [",Aggregated,0,0,0,0.0,0,0,0,0.0,0.0," + ",".join(["N/A"] * 11), ""])
        for row in hornet.history():
            self.assertEqual(list(row.values())[2:], ["", "Aggregated", "0.000000", "0.000000"]
                             + ["N/A"] * 11 + ["0", "0", "0", "0.0", "0", "0", "0"])
        self.assert_final_tables(hornet, 0)

    def test_prompt_exit_on_sigint_with_requests_in_flight(self):
        self.assert_prompt_exit_with_requests_in_flight(signal.SIGINT)

    def test_prompt_exit_on_sigterm_with_requests_in_flight(self):
        self.assert_prompt_exit_with_requests_in_flight(signal.SIGTERM)

    def test_sigint_while_spawning(self):
        hornet = self.start_plain("/ok", "-u", "50", "-r", "2")  # 25 s of spawning
        itest.wait_until(lambda: "Ramping to 50 users" in hornet.stderr, itest.WAIT_TIMEOUT,
                         "the start of spawning")
        time.sleep(1.5)
        code, took = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())
        self.assertLess(took, 10.0)
        self.assertNotIn("All users spawned", hornet.stderr)
        self.assert_final_tables(hornet, 0)
        self.assertEqual(hornet.csv_bytes("stats")[:len(itest.STATS_HEADER)],
                         itest.STATS_HEADER.encode())

    def test_stop_timeout_lets_tasks_finish(self):
        # With --stop-timeout, a user in a task finishes it: the requests in flight at the
        # signal complete and are counted, so the counts equal the server's exactly.
        path = "/slow"
        before = self.server.count(path=path)
        hornet = self.start_plain(path + "?delay=0.5", "--stop-timeout", "20", wait="0")
        self.server.wait_for(lambda: self.server.count(path=path) >= before + 2 * USERS,
                             itest.WAIT_TIMEOUT, "requests")
        code, took = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())
        self.assertEqual(hornet.count("GET", path + "?delay=0.5"),
                         self.server.count(path=path) - before)
        self.assertEqual(hornet.failures(), {})
        # Response times are measured around the whole exchange: none below the server's
        # delay (lower bounds only; 1% for the histogram's precision).
        row = hornet.stats()[("GET", path + "?delay=0.5")]
        for column in ("Min Response Time", "Median Response Time", "Average Response Time"):
            self.assertGreaterEqual(float(row[column]), 500 * 0.99, column)
        for column in itest.PERCENTILES.split(","):
            self.assertGreaterEqual(int(row[column]), 490, column)
        # Requests/s is the count over the span of the run, which is shorter than the process.
        self.assertGreaterEqual(float(row["Requests/s"]),
                                int(row["Request Count"]) / hornet.took * 0.99)

    def test_stop_timeout_does_not_wait_for_waiting_users(self):
        # Users in their wait time are stopped at once, even with --stop-timeout.
        path = "/marker/waiting"
        before = self.server.count(path=path)
        hornet = self.start_plain(path, "--stop-timeout", "60", wait="60")
        self.server.wait_for(lambda: self.server.count(path=path) >= before + USERS,
                             itest.WAIT_TIMEOUT, "the first request of every user")
        time.sleep(0.5)
        code, took = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())
        self.assertLess(took, 10.0)
        self.assertEqual(hornet.count("GET", path), USERS)

    def test_second_signal_ends_a_stop_timeout_early(self):
        path = "/slow"
        before = self.server.count(path=path)
        hornet = self.start_plain(path + "?delay=30", "--stop-timeout", "60")
        self.server.wait_for(lambda: self.server.count(path=path) >= before + USERS,
                             itest.WAIT_TIMEOUT, "requests in flight")
        hornet.process.send_signal(signal.SIGINT)
        time.sleep(1.0)
        self.assertTrue(hornet.running(), "exited before the tasks in flight finished")
        code, took = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())
        self.assertLess(took, 10.0)
        self.assert_final_tables(hornet, 0)


if __name__ == "__main__":
    itest.main()
