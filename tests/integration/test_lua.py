#!/usr/bin/env python3
"""Lua scenarios (`hornet -f scenario.lua`): the Lua seed against the demo target gives the same
request mix as the C++ seed with no failures; syntax and load errors stop the start with
file:line and exit code 1; runtime errors in tasks are counted with file:line and a Lua
traceback while the users carry on; tasks that never yield are stopped by --stop-timeout; and the
API's control flow, catch_response and JSON work against the test server.

    python3 test_lua.py hornet=PATH seed=PATH demo=PATH [-v]
"""

import math
import re
import tempfile
import unittest
from pathlib import Path

import itest
from itest_server import ServerTestCase

SOURCE_DIR = Path(__file__).resolve().parents[2]
SEED_LUA = SOURCE_DIR / "examples" / "seed.lua"
SCENARIOS = Path(__file__).resolve().parent / "scenarios" / "lua"

USERS = 100
RUN_TIME = "6s"
WEIGHTS = {"/": 1, "/heavy_url/": 2, "/another_heavy_ajax_url/": 2}
MIN_TASKS = 300
Z_LIMIT = 5.0


def scenario(name):
    return str(SCENARIOS / name)


class LuaSeedAgainstDemoTarget(unittest.TestCase):
    """The same seed in C++ and in Lua, one after the other against one demo target."""

    @classmethod
    def setUpClass(cls):
        cls.demo = itest.DemoTarget("--threads", "1")
        cls.runs = {}
        try:
            for kind, name, args in (("cpp", "seed", ()),
                                     ("lua", "hornet", ("-f", str(SEED_LUA)))):
                before = cls.demo.stats()
                run = itest.run(name, *args, "-H", cls.demo.url, "-u", str(USERS),
                                "-r", str(USERS), "-t", RUN_TIME, "-s", "10", "--headless")
                cls.runs[kind] = (run, before, cls.demo.stats())
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for run, _, _ in cls.runs.values():
            run.close()
        cls.demo.stop()

    def test_no_failures_and_every_user_logged_in(self):
        for kind, (run, before, after) in self.runs.items():
            with self.subTest(kind):
                self.assertEqual(run.code, 0, run.describe())
                self.assertEqual(run.failures(), {})
                self.assertEqual(run.exceptions(), [])
                self.assertEqual(after["logins_succeeded"] - before["logins_succeeded"], USERS)
                self.assertEqual(after["csrf_rejections"] - before["csrf_rejections"], 0)

    def test_same_requests_and_task_mix(self):
        names = {}
        for kind, (run, _, _) in self.runs.items():
            names[kind] = sorted(key for key in run.stats() if key != ("", "Aggregated"))
            self.assertEqual(run.count("GET", "/accounts/login/"), USERS)
            self.assertEqual(run.count("POST", "/accounts/login/"), USERS)
            counts = {path: run.count("GET", path) for path in WEIGHTS}
            total = sum(counts.values())
            self.assertGreaterEqual(total, MIN_TASKS, (kind, counts))
            for path, weight in WEIGHTS.items():
                p = weight / sum(WEIGHTS.values())
                z = (counts[path] - total * p) / math.sqrt(total * p * (1 - p))
                self.assertLess(abs(z), Z_LIMIT, (kind, path, counts))
        self.assertEqual(names["cpp"], names["lua"])


class LuaLoadErrors(unittest.TestCase):

    def start(self, file):
        run = itest.run("hornet", "-f", file, "-H", "http://127.0.0.1:9", "--headless", "-t", "1s")
        self.addCleanup(run.close)
        return run

    def test_syntax_error_says_file_and_line_and_exits_1(self):
        run = self.start(scenario("syntax_error.lua"))
        self.assertEqual(run.code, 1, run.describe())
        self.assertRegex(run.stderr, r"syntax_error\.lua:6: .*expected")

    def test_error_while_loading_says_file_and_line(self):
        run = self.start(scenario("load_error.lua"))
        self.assertEqual(run.code, 1, run.describe())
        self.assertRegex(run.stderr, r"load_error\.lua:4: task\(\): expected a function")

    def test_file_without_user_class(self):
        path = Path(self.temporary_directory()) / "empty.lua"
        path.write_text("local hornet = require('hornet')\nhornet.TaskSet('OnlyASet')\n")
        run = self.start(str(path))
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("no user class", run.stderr)

    def temporary_directory(self):
        directory = tempfile.TemporaryDirectory(prefix="hornet-lua-")
        self.addCleanup(directory.cleanup)
        return directory.name


class LuaRuntimeErrors(ServerTestCase):

    def test_counted_with_file_line_and_traceback_and_users_carry_on(self):
        run = itest.run("hornet", "-f", scenario("errors.lua"), "-H", self.server.url,
                        "-u", "2", "-r", "10", "-t", "3s", "--headless")
        self.addCleanup(run.close)
        self.assertIn(run.code, (0, 1), run.describe())  # exceptions set exit code 1
        exceptions = {row["Message"]: row for row in run.exceptions()}
        messages = "\n".join(exceptions)
        broken = [m for m in exceptions if re.search(r"errors\.lua:6: attempt to index", m)]
        self.assertTrue(broken, messages)
        row = exceptions[broken[0]]
        self.assertIn("in task Errors > broken", row["Traceback"])
        self.assertIn("stack traceback:", row["Traceback"])
        self.assertIn("errors.lua:12:", row["Traceback"])  # the task's call of lookup()
        for expected in (r"errors\.lua:16: client:get: the URL must be a string",
                         r"errors\.lua:19: client:get: option 'headers' must be a table",
                         r"errors\.lua:22: response:json\(\): not JSON"):
            self.assertTrue(any(re.search(expected, m) for m in exceptions), messages)
        # Each user raised many times and went on: far more tasks than users.
        self.assertGreater(int(row["Count"]), 4, row)
        self.assertGreater(self.server.count(path="/exc/before"), 4)


class LuaStopTimeout(ServerTestCase):
    """A task that never yields: the worker thread cannot run the posted stop, so the hook ends
    it once --stop-timeout is over (docs/scenario-api-lua.md)."""

    def run_spin(self, spin, *flags):
        before = self.server.count(path="/marker/stopped")
        run = itest.run("hornet", "-f", scenario("spin.lua"), "-H", self.server.url,
                        "-u", "2", "-r", "10", "-t", "1s", "--headless", *flags,
                        env=itest.clean_environment({"SPIN": spin}), timeout=60)
        self.addCleanup(run.close)
        self.assertEqual(self.server.count(path="/marker/stopped") - before, 2, run.describe())
        return run

    def test_while_true_is_stopped(self):
        run = self.run_spin("while", "--stop-timeout", "1")
        self.assertLess(run.took, 20, run.describe())

    def test_compilable_for_loop_is_stopped(self):
        run = self.run_spin("for", "--stop-timeout", "1")
        self.assertLess(run.took, 20, run.describe())

    def test_pcall_does_not_keep_it_alive(self):
        self.run_spin("pcall", "--stop-timeout", "1")

    def test_without_stop_timeout(self):
        self.run_spin("while")


class LuaFeatures(ServerTestCase):

    def test_sequential_task_set_interrupt_and_stop_user(self):
        before = len(self.server.received())
        run = itest.Hornet("hornet", "-f", scenario("features.lua"), "SeqUser",
                           "-H", self.server.url, "-u", "1", "-r", "10", "-t", "20s",
                           "--headless")
        self.addCleanup(run.close)
        self.server.wait_for(lambda: self.server.count(path="/marker/stopped") >= 1,
                             itest.WAIT_TIMEOUT, "the user to stop itself")
        run.stop()
        paths = [r.path for r in self.server.received()[before:]]
        self.assertEqual(paths, ["/seq/start", "/seq/1", "/seq/2", "/seq/2", "/seq/3",
                                 "/seq/stop", "/seq/start", "/seq/1", "/seq/2", "/seq/2",
                                 "/seq/3", "/seq/stop", "/marker/stopped"])
        self.assertEqual(run.exceptions(), [])

    def test_api(self):
        run = itest.Hornet("hornet", "-f", scenario("features.lua"), "ApiUser",
                           "-H", self.server.url, "-u", "2", "-r", "10", "-t", "20s",
                           "--headless")
        self.addCleanup(run.close)
        self.server.wait_for(lambda: self.server.count(path="/cf/before-reschedule") >= 4,
                             itest.WAIT_TIMEOUT, "a few passes")
        run.stop()
        self.assertEqual(self.server.count(prefix="/marker/bad/"), 0,
                         [r.path for r in self.server.received(prefix="/marker/bad/")])
        self.assertEqual(self.server.count(path="/onstart/api"), 2)
        self.assertEqual(run.exceptions(), [])
        failures = run.failures()
        self.assertEqual({key[:2] for key in failures}, {("GET", "judged-ok")}, failures)
        self.assertIn(("GET", "judged-ok", "CatchResponseError('not what I wanted')"), failures)
        self.assertGreaterEqual(run.count("GET", "judged-404"), 4)
        self.assertEqual(run.failure_count("GET", "judged-404"), 0)


if __name__ == "__main__":
    itest.main()
