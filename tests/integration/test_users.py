#!/usr/bin/env python3
"""The user model through the feature scenario (scenarios/features.cpp): task exceptions in the
exceptions table, StopUser, nested TaskSets left with interrupt(), SequentialTaskSet order,
--tags/--exclude-tags, several user classes (weight, fixed_count, selection by name) and wait
times. Checked through the CSV files, the exit code and the order of each user's requests as the
test server received them.

    python3 test_users.py features=PATH [-v]
"""

import re
import signal
import statistics
import time
import unittest
from collections import Counter

import itest
from itest_server import TestServer


class ScenarioTest(unittest.TestCase):

    def setUp(self):
        self.server = TestServer()
        self.addCleanup(self.server.stop)

    def run_classes(self, classes, users, *flags):
        hornet = itest.run_until_stopped(self.server, classes, users, *flags)
        self.addCleanup(hornet.close)
        return hornet

    def paths_by_user(self, prefix=None):
        """{user: [path, ...]} in arrival order (markers included unless `prefix`)."""
        out = {}
        for request in self.server.received(prefix=prefix):
            out.setdefault(request.user, []).append(request.path)
        return out


class ExceptionTest(ScenarioTest):

    def test_exceptions_are_counted_with_message_and_where(self):
        hornet = self.run_classes(("ExceptionUser", "NestedExceptionUser"), 4)
        self.assertEqual(hornet.code, 1, hornet.describe())  # exceptions count as errors
        self.assertEqual(hornet.failures(), {})
        rows = hornet.exceptions()
        by_message = {row["Message"]: row for row in rows}
        self.assertEqual(len(rows), 3, rows)

        boom = by_message["boom from explode"]
        self.assertEqual(int(boom["Count"]), 2 * 3)  # 2 users, 3 times each
        self.assertIn("ExceptionUser", boom["Traceback"])
        self.assertIn("explode", boom["Traceback"])
        self.assertEqual(boom["Nodes"], "local")

        nested = by_message["nested boom"]
        self.assertEqual(int(nested["Count"]), 2 * 2)
        self.assertRegex(nested["Traceback"],
                         r"NestedExceptionUser\W+ExplodingSet\W+detonate")  # the task path

        # `throw 42`: not a std::exception, still counted once per user, with its place.
        [other] = [row for message, row in by_message.items()
                   if message not in ("boom from explode", "nested boom")]
        self.assertEqual(int(other["Count"]), 2)
        self.assertIn("explode", other["Traceback"])

        # The users carried on after each exception: every step ran.
        self.assertEqual(hornet.count("GET", "/exc/before"), 2 * 4)
        self.assertEqual(hornet.count("GET", "/exc/nested"), 2 * 2)
        # And each kind was logged (Locust logs every one at ERROR with its traceback).
        self.assertIn("boom from explode", hornet.stderr)
        self.assertIn("nested boom", hornet.stderr)


class StopUserTest(ScenarioTest):

    def test_stop_user_ends_the_user_for_good(self):
        users = 3
        hornet = self.run_classes(("StopperUser",), users)
        # A while longer: a stopped user must not start again.
        time.sleep(1.0)
        self.assertEqual(hornet.code, 0, hornet.describe())
        sequences = self.paths_by_user()
        self.assertEqual(len(sequences), users)
        for user, paths in sequences.items():
            self.assertEqual(paths, ["/stop/start", "/stop/task", "/stop/task", "/stop/on_stop",
                                     "/marker/stopped"], user)
        self.assertEqual(hornet.count("GET", "/stop/task"), 2 * users)
        self.assertEqual(hornet.count("GET", "/stop/on_stop"), users)

    def test_stop_user_from_a_nested_task_set(self):
        hornet = self.run_classes(("NestedStopperUser",), 2)
        self.assertEqual(hornet.code, 0, hornet.describe())
        for user, paths in self.paths_by_user().items():
            self.assertEqual(paths, ["/stop/nested_task", "/stop/set_on_stop", "/marker/stopped"],
                             user)

    def test_on_stop_runs_when_the_run_ends(self):
        # As Locust's GreenletExit: users stopped by the runner (here by the time limit, in the
        # middle of their wait) run on_stop, and the run waits for it.
        users = 3
        hornet = itest.run("features", "ConstantWaitUser", "-H", self.server.url, "-u",
                           str(users), "-r", "100", "--headless", "-t", "2s")
        self.addCleanup(hornet.close)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(len({r.user for r in self.server.received(path="/wait/constant")}), users)
        markers = self.server.received(path="/marker/stopped")
        self.assertEqual(sorted(r.user for r in markers),
                         sorted({r.user for r in self.server.received()}))
        self.assertEqual(hornet.count("GET", "/marker/stopped"), users)

    def test_user_count_drops_when_users_stop(self):
        # Locust's user count is the number of running users: StopUser lowers it.
        users = 3
        hornet = itest.Hornet("features", "-H", self.server.url, "-u", str(users), "-r", "100",
                              "--headless", "-t", "10m", "StopperUser")
        self.addCleanup(hornet.close)
        self.server.wait_for(lambda: self.server.count("/marker/stopped") >= users,
                             itest.WAIT_TIMEOUT, "the users to stop")

        def zero_users_after_stop():
            try:
                rows = hornet.history()
            except (FileNotFoundError, KeyError):
                return False
            return any(row["User Count"] == "0" and row["Total Request Count"] != "0"
                       for row in rows)
        itest.wait_until(zero_users_after_stop, itest.WAIT_TIMEOUT,
                         "a stats history row with 0 users after the users stopped")
        code, _ = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())


class ControlFlowTest(ScenarioTest):

    def test_reschedule_task_and_reschedule_task_immediately(self):
        hornet = self.run_classes(("ControlFlowUser",), 1)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(hornet.exceptions(), [])  # control flow, not errors
        requests = self.server.received(prefix="/cf/")
        self.assertEqual([r.path for r in requests],
                         ["/cf/immediate", "/cf/reschedule", "/cf/normal", "/cf/end"])
        gaps = [b.time - a.time for a, b in zip(requests, requests[1:])]
        # The wait is 1 s: RescheduleTaskImmediately skips it (a generous bound, for slow
        # machines), RescheduleTask and a normal return do not.
        self.assertLess(gaps[0], 0.8, gaps)
        self.assertGreaterEqual(gaps[1], 0.99, gaps)
        self.assertGreaterEqual(gaps[2], 0.99, gaps)

    def test_a_failing_on_start_ends_the_user(self):
        # As Locust's User.run: the exception is logged, no task runs and on_stop is not called.
        users = 2
        hornet = itest.Hornet("features", "OnStartFailUser", "-H", self.server.url, "-u",
                              str(users), "-r", "100", "--headless", "-t", "10m")
        self.addCleanup(hornet.close)
        self.server.wait_for(lambda: self.server.count("/onstart/begin") >= users,
                             itest.WAIT_TIMEOUT, "on_start of every user")
        itest.wait_until(lambda: "on_start failed" in hornet.stderr, itest.WAIT_TIMEOUT,
                         "the exception to be logged")
        time.sleep(1.0)
        hornet.stop(signal.SIGINT)
        self.assertEqual(self.server.count(prefix="/onstart/"), users, hornet.describe())


class SpawnRateTest(ScenarioTest):

    def test_users_are_spawned_at_the_rate(self):
        # 4 users at 1.5 per second: as Locust's dispatcher, floor(1.5) = 1 user every
        # 1 / 1.5 s, so the last starts about 2 s after the first.
        users = 4
        hornet = itest.Hornet("features", "ConstantWaitUser", "-H", self.server.url, "-u",
                              str(users), "-r", "1.5", "--headless", "-t", "10m")
        self.addCleanup(hornet.close)
        self.server.wait_for(lambda: len({r.user for r in self.server.received()}) >= users,
                             itest.WAIT_TIMEOUT, "every user's first request")
        itest.wait_until(lambda: "All users spawned" in hornet.stderr, itest.WAIT_TIMEOUT,
                         "the end of spawning")
        code, _ = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())
        first = {}
        for request in self.server.received():
            first.setdefault(request.user, request.time)
        self.assertEqual(len(first), users)
        # A lower bound only: spawning all at once would give ~0 s.
        self.assertGreaterEqual(max(first.values()) - min(first.values()), 1.6)
        self.assertIn("Ramping to 4 users at a rate of 1.50 per second", hornet.stderr)
        self.assertIn('All users spawned: {"ConstantWaitUser": 4} (4 total users)',
                      hornet.stderr)


class InterruptTest(ScenarioTest):

    def test_interrupt_returns_to_the_parent(self):
        users = 2
        hornet = self.run_classes(("InterruptUser",), users)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(hornet.exceptions(), [])
        sequences = self.paths_by_user()
        self.assertEqual(len(sequences), users)
        for user, paths in sequences.items():
            # Each round: the set's on_start, its task (which interrupts), its on_stop; then the
            # user picks the set again; the 4th on_start stops the user.
            self.assertEqual(paths, ["/int/inner_start", "/int/inner_task", "/int/inner_stop"] * 3
                             + ["/marker/stopped"], user)
            times = [r.time for r in self.server.received(user=user)]
            # interrupt() (reschedule=True): the user picks its next task at once (a generous
            # bound for slow machines); interrupt(False): the user's wait (1 s) comes first.
            self.assertLess(times[3] - times[2], 0.8)
            self.assertGreaterEqual(times[6] - times[5], 0.99)


class SequentialTest(ScenarioTest):

    def test_declaration_order_and_weights_as_repetitions(self):
        users = 2
        hornet = self.run_classes(("SequentialUser",), users)
        self.assertEqual(hornet.code, 0, hornet.describe())
        sequences = self.paths_by_user(prefix="/seq/")
        self.assertEqual(len(sequences), users)
        for user, paths in sequences.items():
            self.assertEqual(paths, ["/seq/a", "/seq/a", "/seq/b", "/seq/c"] * 2, user)
            # The task set's own wait_time applies between its tasks (lower bound).
            times = [r.time for r in self.server.received(user=user, prefix="/seq/")]
            gaps = [b - a for a, b in zip(times, times[1:])]
            self.assertGreaterEqual(min(gaps), 0.2 - 0.01, gaps)


class TagTest(ScenarioTest):
    USERS = 2
    ALL = {"/tag/red", "/tag/blue", "/tag/both", "/tag/untagged", "/tag/green"}

    def tags_run(self, *flags):
        hornet = self.run_classes(("TagUser",), self.USERS, *flags)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(self.server.count(prefix="/tag/"), 100 * self.USERS)
        return {r.path for r in self.server.received(prefix="/tag/")}

    def test_no_filter_runs_every_task(self):
        self.assertEqual(self.tags_run(), self.ALL)

    def test_tags_keep_tasks_with_any_listed_tag(self):
        # "green" tags the nested TaskSet's class: its task is kept through it.
        self.assertEqual(self.tags_run("--tags", "red", "green"),
                         {"/tag/red", "/tag/both", "/tag/green"})

    def test_exclude_tags_drop_tasks_with_any_listed_tag(self):
        self.assertEqual(self.tags_run("--exclude-tags", "red", "green"),
                         {"/tag/blue", "/tag/untagged"})


class UserClassTest(ScenarioTest):

    def spawned(self):
        """{class: number of users} from the requests each user sent in on_start."""
        return Counter(r.user.split("-")[0] for r in self.server.received(prefix="/class/"))

    def test_weights_and_fixed_count(self):
        # fixed_count users first (exactly 1 Fixed), the other 8 split 3:1 by weight.
        hornet = self.run_classes(("WeightA", "WeightB", "Fixed"), 9)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(self.spawned(), {"WeightA": 6, "WeightB": 2, "Fixed": 1})
        for request in self.server.received(prefix="/class/"):
            self.assertEqual(request.path, "/class/" + request.user.split("-")[0])
        spawned_line = re.search(r"All users spawned: (.*) \((\d+) total users\)", hornet.stderr)
        self.assertIsNotNone(spawned_line, hornet.stderr)
        self.assertEqual(spawned_line.group(2), "9")
        for name, count in (("WeightA", 6), ("WeightB", 2), ("Fixed", 1)):
            self.assertIn(f'"{name}": {count}', spawned_line.group(1))

    def test_classes_selected_by_name(self):
        hornet = self.run_classes(("WeightB",), 4)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(self.spawned(), {"WeightB": 4})

    def test_fixed_count_with_a_weighted_class(self):
        hornet = self.run_classes(("Fixed", "WeightA"), 5)
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertEqual(self.spawned(), {"Fixed": 1, "WeightA": 4})


class WaitTimeTest(ScenarioTest):

    def test_constant_between_and_pacing(self):
        # One user of each; the server records when each request arrives.
        hornet = itest.Hornet("features", "-H", self.server.url, "-u", "3", "-r", "100",
                              "--headless", "-t", "10m", "ConstantWaitUser", "BetweenWaitUser",
                              "PacingUser")
        self.addCleanup(hornet.close)
        enough = 6
        self.server.wait_for(
            lambda: all(self.server.count(f"/wait/{kind}") >= enough
                        for kind in ("constant", "between", "pacing")),
            itest.WAIT_TIMEOUT, f"{enough} requests of each user")
        code, _ = hornet.stop(signal.SIGINT)
        self.assertEqual(code, 0, hornet.describe())

        def gaps(kind):
            requests = self.server.received(path=f"/wait/{kind}")
            self.assertEqual(len({r.user for r in requests}), 1)
            times = [r.time for r in requests]
            return [b - a for a, b in zip(times, times[1:])]

        # Lower bounds only (a slow machine makes gaps longer, never shorter); 10 ms of slack
        # for the server's clock.
        self.assertGreaterEqual(min(gaps("constant")), 0.4 - 0.01, gaps("constant"))
        self.assertGreaterEqual(min(gaps("between")), 0.2 - 0.01, gaps("between"))
        self.assertGreater(len(set(round(g, 2) for g in gaps("between"))), 1,
                           "between() gave the same wait every time")
        # constant_pacing(0.4) around a 0.3 s task: tasks start 0.4 s apart (after the first
        # wait, which Locust makes a full 0.4 s), not 0.3 + 0.4 s apart as constant() would.
        # Each start is paced from the previous one's, so single gaps seen by the server jitter
        # a little either way; their sum cannot be short.
        pacing = gaps("pacing")[1:]
        self.assertGreaterEqual(sum(pacing), 0.4 * len(pacing) - 0.05, pacing)
        self.assertGreaterEqual(min(pacing), 0.3, pacing)
        self.assertLess(statistics.median(pacing), 0.6, pacing)


if __name__ == "__main__":
    itest.main()
