#!/usr/bin/env python3
"""The command line as a user meets it: bad flags exit 2 naming the option, setup errors
(unknown user class, no host) exit 1 with a clear message and no run, list and version exit 0,
and options from a config file and the environment take effect.

    python3 test_cli.py plain=PATH features=PATH [-v]
"""

import unittest

import itest
from itest_server import ServerTestCase

QUICK = 30.0  # none of these runs should load anything: they end at once


class BadFlagsTest(unittest.TestCase):

    def test_bad_flags_exit_2_naming_the_option(self):
        cases = [
            (["--bogus-flag"], "--bogus-flag"),
            (["-u", "abc"], "--users"),
            (["--users", "-3"], "--users"),
            (["-r", "x"], "--spawn-rate"),
            (["-t", "5x"], "--run-time"),
            (["--stop-timeout", "soon"], "--stop-timeout"),
            (["--exit-code-on-error", "foo"], "--exit-code-on-error"),
            (["--request-timeout", "-1"], "--request-timeout"),
            (["--connect-timeout", "abc"], "--connect-timeout"),
            (["--threads", "many"], "--threads"),
            (["--csv-full-history"], "--csv-full-history"),
            (["--users"], "--users"),
        ]
        for flags, named in cases:
            with self.subTest(flags=flags):
                hornet = itest.run("plain", "-H", "http://127.0.0.1:9", "--headless", *flags,
                                   csv=False, timeout=QUICK)
                self.addCleanup(hornet.close)
                self.assertEqual(hornet.code, 2, hornet.describe())
                self.assertIn(named, hornet.stderr)
                self.assertIn("error", hornet.stderr)
                self.assertEqual(hornet.stdout, "")
                self.assertNotIn("Starting", hornet.stderr)  # no run was started


class SetupErrorTest(unittest.TestCase):

    def test_unknown_user_class_exits_1(self):
        hornet = itest.run("features", "-H", "http://127.0.0.1:9", "--headless", "-t", "5s",
                           "CookieUser", "NoSuchUser", timeout=QUICK)
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 1, hornet.describe())
        # Locust's message names the unknown classes only (Hornet adds the available ones).
        self.assertRegex(hornet.stderr, r"Unknown User\(s\): NoSuchUser( \(|\n)")
        self.assertNotIn("Starting", hornet.stderr)
        self.assertNotIn("Aggregated", hornet.stderr)  # no tables: nothing ran

    def test_missing_host_exits_1_with_locusts_message(self):
        hornet = itest.run("plain", "--headless", "-t", "5s", timeout=QUICK)
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 1, hornet.describe())
        self.assertIn("You must specify the base host. Either in the host attribute in the User "
                      "class", hornet.stderr)
        self.assertIn("or on the command line using the --host option.", hornet.stderr)
        self.assertNotIn("Starting", hornet.stderr)

    def test_tags_that_leave_no_task_exit_1(self):
        hornet = itest.run("plain", "-H", "http://127.0.0.1:9", "--headless", "-t", "5s",
                           "--tags", "nothing-has-this-tag", timeout=QUICK)
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 1, hornet.describe())
        self.assertIn("PlainUser", hornet.stderr)
        self.assertNotIn("Starting", hornet.stderr)


class InformationTest(unittest.TestCase):

    def test_list_user_classes(self):
        hornet = itest.run("features", "-l", csv=False, timeout=QUICK)
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        lines = hornet.stdout.splitlines()
        self.assertEqual(lines[0], "Available Users:")
        self.assertIn("    CookieUser", lines)
        self.assertIn("    WeightA", lines)
        self.assertIn("    Fixed", lines)

    def test_version(self):
        hornet = itest.run("plain", "--version", csv=False, timeout=QUICK)
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertRegex(hornet.stdout, r"^hornet \d+\.\d+\.\d+")

    def test_help_lists_locusts_options(self):
        hornet = itest.run("plain", "--help", csv=False, timeout=QUICK)
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        for option in ("--host", "--users", "--spawn-rate", "--run-time", "--headless", "--csv",
                       "--csv-full-history", "--only-summary", "--exit-code-on-error",
                       "--stop-timeout", "--tags", "--exclude-tags"):
            self.assertIn(option, hornet.stdout)


class ConfigurationTest(ServerTestCase):
    """Options from a config file in the working directory and from the environment."""

    def test_locust_conf_and_environment(self):
        # locust.conf in the working directory gives host, headless, users, spawn rate and run
        # time; the environment (LOCUST_USERS, HORNET_ONLY_SUMMARY) beats the file; the command
        # line (-t) beats both.
        path = "/marker/conf"
        hornet = itest.Hornet(
            "plain", "-t", "2s",
            env={"ITEST_PATH": path, "ITEST_WAIT": "0.2", "LOCUST_USERS": "2",
                 "HORNET_ONLY_SUMMARY": "true"},
            config_file=(f"host = {self.server.url}\n"
                         "headless = true\n"
                         "users = 5\n"
                         "spawn-rate = 100\n"
                         "run-time = 1h\n"))
        self.addCleanup(hornet.close)
        code = hornet.wait(itest.RUN_TIMEOUT)
        self.assertEqual(code, 0, hornet.describe())
        counted, received = hornet.count("GET", path), self.server.count(path)
        self.assertGreater(counted, 0)
        self.assertLessEqual(counted, received)
        self.assertGreaterEqual(counted, received - 2)  # in flight at the time limit
        self.assertIn("Run time limit set to 2 seconds", hornet.stderr)
        self.assertIn("(2 total users)", hornet.stderr)
        self.assertEqual(hornet.stderr.count("Type     Name"), 2)  # final tables only

    def test_logfile_takes_the_log_lines_not_the_tables(self):
        for level, expect_info in (("INFO", True), ("WARNING", False)):
            with self.subTest(level=level):
                hornet = itest.Hornet("plain", "-H", self.server.url, "-u", "1", "-t", "1s",
                                      "--headless", "-L", level, "--logfile", "hornet.log",
                                      env={"ITEST_PATH": "/ok", "ITEST_WAIT": "0.2"})
                self.addCleanup(hornet.close)
                self.assertEqual(hornet.wait(itest.RUN_TIMEOUT), 0, hornet.describe())
                log = (hornet.dir / "hornet.log").read_text()
                self.assertEqual("Shutting down (exit code 0)" in log, expect_info, log)
                # The tables stay on stderr (Locust's stats logger), the log lines do not.
                self.assertIn("Response time percentiles (approximated)", hornet.stderr)
                self.assertNotIn("Shutting down", hornet.stderr)
                self.assertNotIn("Response time percentiles", log)

    def test_reset_stats_after_spawning(self):
        # 3 users at 1 per second: the requests of the first 2 s are dropped from the
        # statistics when spawning completes, the later ones all kept.
        path = "/marker/reset"
        hornet = itest.run("plain", "-H", self.server.url, "-u", "3", "-r", "1", "-t", "4s",
                           "--headless", "--reset-stats",
                           env={"ITEST_PATH": path, "ITEST_WAIT": "0.1"})
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        counted, received = hornet.count("GET", path), self.server.count(path)
        self.assertGreater(counted, 0)
        self.assertGreaterEqual(received - counted, 5, (counted, received))


if __name__ == "__main__":
    itest.main()
