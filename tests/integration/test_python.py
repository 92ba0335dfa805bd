#!/usr/bin/env python3
"""Python locustfiles (`hornet -f locustfile.py`, src/python/README.md): the seed's locustfile
verbatim (Locust 0.x spelling) and in Locust 2.x spelling against the demo target; TaskSets,
control flow, load errors, run events and custom options, a LoadTestShape, cooperative sleeps and
gevent, stopping, and distributed runs with a Hornet or Locust master.

The locustfiles are in scenarios/python/; most users are plain `User`s that log to $PY_LOG and
record "MARK" requests through events.request.fire (itest_py.py), so counts are exact.
The HTTP client's API is in test_python_http.py.

    python3 test_python.py hornet=PATH demo=PATH [-v]
"""

import math
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import json
import urllib.parse
import urllib.request
import unittest
from collections import defaultdict
from pathlib import Path

import itest

SCENARIOS = Path(__file__).resolve().parent / "scenarios" / "python"
SEED = Path(__file__).resolve().parents[2] / "examples" / "seed.py"  # the seed's, verbatim
LOCUST = ["/usr/bin/python3", "-m", "locust"]
NOWHERE = "http://127.0.0.1:9"  # plain users make no requests; a host is still required


def scenario(name):
    return str(SCENARIOS / name)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def locust_available():
    try:
        return subprocess.run(LOCUST + ["--version"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


class PyTest(unittest.TestCase):
    """Runs `hornet -f scenarios/python/<file>` with $PY_LOG set to a file of its own."""

    def run_py(self, file, *args, env=None, timeout=itest.RUN_TIMEOUT, host=NOWHERE, **kwargs):
        log = self.log_path()
        extra = {"PY_LOG": str(log), **(env or {})}
        host_args = ("-H", host) if host else ()
        run = itest.run("hornet", "-f", scenario(file), *host_args, "--headless", *args,
                        env=extra, timeout=timeout, **kwargs)
        self.addCleanup(run.close)
        return run

    def log_path(self):
        if not hasattr(self, "_log"):
            directory = tempfile.TemporaryDirectory(prefix="hornet-itest-py-")
            self.addCleanup(directory.cleanup)
            self._log = Path(directory.name) / "log.txt"
        return self._log

    def log_lines(self):
        path = self.log_path()
        return path.read_text().splitlines() if path.exists() else []

    def by_user(self):
        """Log lines "<uid> <event>" as {uid: [event, ...]}."""
        out = defaultdict(list)
        for line in self.log_lines():
            uid, _, event = line.partition(" ")
            out[uid].append(event)
        return dict(out)

    def marks(self, run):
        """{name: count} of the MARK requests in _stats.csv."""
        return {name: int(row["Request Count"]) for (kind, name), row in run.stats().items()
                if kind == "MARK"}


# -- 1. the seed -------------------------------------------------------------------------------

USERS = 100
WEIGHTS = {"/": 1, "/heavy_url/": 2, "/another_heavy_ajax_url/": 2}
MIN_TASKS = 300
Z_LIMIT = 5.0


class SeedLocustfile(unittest.TestCase):
    """The seed's locustfile.py exactly as the seed document has it (HttpLocust, task_set =
    UserBehavior, min_wait/max_wait defaulting to 1 s), and the same in Locust 2.x spelling."""

    @classmethod
    def setUpClass(cls):
        cls.demo = itest.DemoTarget("--threads", "1")
        cls.runs = {}
        try:
            for kind in (str(SEED), str(SEED.parent / "seed_2x.py")):
                before = cls.demo.stats()
                # -s: at the time limit users finish their task, so the counts are exact.
                run = itest.run("hornet", "-f", scenario(kind), "-H", cls.demo.url,
                                "-u", str(USERS), "-r", str(USERS), "-t", "6s", "-s", "10",
                                "--headless")
                cls.runs[kind] = (run, before, cls.demo.stats())
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for run, _, _ in cls.runs.values():
            run.close()
        cls.demo.stop()

    def test_the_seed_file_is_verbatim(self):
        text = SEED.read_text()
        self.assertIn("from locust import HttpLocust, TaskSet, task", text)
        self.assertIn("    task_set = UserBehavior", text)
        # The project's shared/ folder sits beside the checkout.
        reference = Path(__file__).resolve().parents[3] / "shared" / "reference" / "seed.md"
        if not reference.exists():
            self.skipTest("no copy of the seed document here")
        self.assertIn("```python\n" + text + "```", reference.read_text())

    def test_no_failures_and_every_user_logged_in(self):
        for kind, (run, before, after) in self.runs.items():
            with self.subTest(kind):
                self.assertEqual(run.code, 0, run.describe())
                self.assertEqual(run.failures(), {})
                self.assertEqual(run.exceptions(), [])
                self.assertEqual(after["logins_succeeded"] - before["logins_succeeded"], USERS)
                self.assertEqual(after["csrf_rejections"] - before["csrf_rejections"], 0)
                self.assertEqual(after["bad_credentials"] - before["bad_credentials"], 0)

    def test_counts_equal_what_the_demo_target_served(self):
        for kind, (run, before, after) in self.runs.items():
            with self.subTest(kind):
                def served(route, method, status):
                    def count(stats):
                        return stats["routes"].get(route, {}).get(method, {}).get(str(status), 0)
                    return count(after) - count(before)
                self.assertEqual(run.count("GET", "/accounts/login/"), USERS)
                self.assertEqual(run.count("POST", "/accounts/login/"), USERS)
                self.assertEqual(served("/accounts/login/", "GET", 200), USERS)
                self.assertEqual(served("/accounts/login/", "POST", 302), USERS)
                # The login's redirect to / is followed and recorded under the POST.
                self.assertEqual(run.count("GET", "/") + USERS, served("/", "GET", 200))
                for path in ("/heavy_url/", "/another_heavy_ajax_url/"):
                    self.assertEqual(run.count("GET", path), served(path, "GET", 200), path)
                aggregated = int(run.stats()[("", "Aggregated")]["Request Count"])
                self.assertEqual(after["responses"] - before["responses"], aggregated + USERS)
                names = sorted(name for _, name in run.stats() if name != "Aggregated")
                self.assertEqual(names, sorted(["/accounts/login/", "/accounts/login/", "/",
                                                "/heavy_url/", "/another_heavy_ajax_url/"]))

    def test_task_mix_is_1_2_2(self):
        for kind, (run, _, _) in self.runs.items():
            with self.subTest(kind):
                counts = {path: run.count("GET", path) for path in WEIGHTS}
                total = sum(counts.values())
                self.assertGreaterEqual(total, MIN_TASKS, counts)
                for path, weight in WEIGHTS.items():
                    p = weight / sum(WEIGHTS.values())
                    z = (counts[path] - total * p) / math.sqrt(total * p * (1 - p))
                    self.assertLess(abs(z), Z_LIMIT, (path, counts))


# -- 4. TaskSets, tags, weights, waits ---------------------------------------------------------

class TaskSets(PyTest):

    def test_nested_task_sets_interrupt_and_stop(self):
        run = self.run_py("tasksets.py", "NestedUser", "-u", "2", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 0, run.describe())
        sequences = self.by_user()
        self.assertEqual(len(sequences), 2, sequences)
        for uid, events in sequences.items():
            self.assertEqual(events, ["user-start", "first", "inner-start",
                                      "inner 1 parent=Outer", "inner 2 parent=Outer",
                                      "inner 3 parent=Outer", "inner-stop", "last", "outer-stop",
                                      "user-stop"], uid)
        self.assertEqual(run.exceptions(), [])

    def test_sequential_task_set_repeats_weighted_tasks_in_place(self):
        run = self.run_py("tasksets.py", "SeqUser", "-u", "3", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 0, run.describe())
        sequences = self.by_user()
        self.assertEqual(len(sequences), 3)
        for uid, events in sequences.items():
            self.assertEqual(events, ["a", "a", "b", "a", "a", "b"], uid)

    def test_tags_and_exclude_tags(self):
        cases = {("--tags", "x", "z"): {"x", "xy", "z"},
                 ("--tags", "y"): {"y", "xy"},
                 ("--exclude-tags", "x", "z"): {"y", "none"}}
        for flags, expected in cases.items():
            with self.subTest(flags):
                run = self.run_py("tasksets.py", "TagUser", "-u", "1", "-t", "1s", *flags)
                self.assertEqual(run.code, 0, run.describe())
                marks = self.marks(run)
                self.assertEqual(set(marks), expected, marks)

    def test_weights_and_fixed_count(self):
        run = self.run_py("tasksets.py", "HeavyUser", "LightUser", "FixedUser",
                          "-u", "9", "-r", "100", "-t", "1s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(self.marks(run), {"start FixedUser": 1, "start HeavyUser": 6,
                                           "start LightUser": 2})

    def test_wait_times(self):
        run = self.run_py("tasksets.py", "ConstantUser", "BetweenUser", "PacingUser",
                          "CustomWaitUser", "-u", "4", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 0, run.describe())
        times = defaultdict(list)
        for line in self.log_lines():
            stamp, name = line.split(" ", 1)
            times[name].append(float(stamp))
        self.assertEqual(set(times), {"ConstantUser", "BetweenUser", "PacingUser",
                                      "CustomWaitUser", "custom-wait"}, times.keys())
        for name, least in (("ConstantUser", 0.3), ("BetweenUser", 0.2), ("PacingUser", 0.3),
                            ("CustomWaitUser", 0.3)):
            stamps = times[name]
            self.assertGreaterEqual(len(stamps), 3, (name, stamps))
            gaps = [b - a for a, b in zip(stamps, stamps[1:])]
            self.assertGreaterEqual(min(gaps), least - 0.01, (name, gaps))
        # between(0.2, 0.4) draws its waits: they are not all the same.
        gaps = [b - a for a, b in zip(times["BetweenUser"], times["BetweenUser"][1:])]
        self.assertGreater(max(gaps) - min(gaps), 0.001, gaps)
        # The custom wait_time method ran after each task, before the next.
        self.assertGreaterEqual(len(times["custom-wait"]), len(times["CustomWaitUser"]) - 1)


# -- 5. control flow and load errors -----------------------------------------------------------

class ControlFlow(PyTest):

    def test_stop_user(self):
        run = self.run_py("control.py", "StopperUser", "-u", "3", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(self.marks(run), {"stop start": 3, "stop task": 6, "stop after": 3,
                                           "stop on_stop": 3})

    def test_reschedule_task(self):
        run = self.run_py("control.py", "RescheduleUser", "-u", "2", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(self.marks(run), {"resched before": 6})
        self.assertEqual(run.exceptions(), [])

    def test_exception_in_a_task_is_counted_with_its_traceback(self):
        run = self.run_py("control.py", "ExceptionUser", "-u", "2", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 1, run.describe())  # exceptions make the exit code 1
        self.assertEqual(self.marks(run), {"exc before": 6})  # users carried on after each
        [row] = run.exceptions()
        self.assertEqual(row["Message"], "boom 0")
        self.assertEqual(int(row["Count"]), 6)
        self.assertEqual(row["Nodes"], "local")
        traceback = row["Traceback"]
        self.assertIn("ExceptionUser > explode", traceback)
        self.assertRegex(traceback, r'control\.py", line 57, in explode')
        self.assertRegex(traceback, r'control\.py", line 44, in helper')
        self.assertIn('raise ValueError(f"boom {n % 1}")', traceback)
        self.assertIn("boom 0", run.stderr)
        self.assertEqual(run.failures(), {})

    def test_exception_in_on_start_ends_the_user(self):
        run = self.run_py("control.py", "BadStartUser", "-u", "2", "-r", "100", "-t", "2s")
        self.assertEqual(run.code, 1, run.describe())
        # Locust's User.run: on_start's exception ends the user, without on_stop or tasks.
        self.assertEqual(self.marks(run), {"badstart on_start": 2})
        [row] = run.exceptions()
        self.assertEqual(row["Message"], "no login for you")
        self.assertEqual(int(row["Count"]), 2)
        self.assertRegex(row["Traceback"], r'control\.py", line 65, in on_start')


class LoadErrors(PyTest):

    def test_syntax_error(self):
        run = self.run_py("syntax_error.py", "-t", "1s")
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("SyntaxError", run.stderr)
        self.assertRegex(run.stderr, r'syntax_error\.py", line 6')
        self.assertNotIn("Ramping to", run.stderr)

    def test_missing_import_names_the_module(self):
        run = self.run_py("missing_import.py", "-t", "1s")
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("No module named 'hornet_itest_no_such_module'", run.stderr)
        self.assertRegex(run.stderr, r'missing_import\.py", line 2')

    def test_unsupported_locust_name_is_refused_by_name(self):
        run = self.run_py("unsupported_web.py", "-t", "1s")
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("locust.web is not supported by Hornet", run.stderr)

    def test_locustfile_named_locust_py(self):
        directory = Path(tempfile.mkdtemp(prefix="hornet-itest-py-"))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(directory)])
        (directory / "locust.py").write_text((SCENARIOS / "control.py").read_text())
        run = itest.run("hornet", "-f", str(directory / "locust.py"), "-H", NOWHERE,
                        "--headless", "-t", "1s")
        self.addCleanup(run.close)
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("must not be named `locust.py`", run.stderr)


# -- 6. events and custom options --------------------------------------------------------------

class Events(PyTest):

    def test_custom_options_events_and_exit_code(self):
        run = self.run_py("events_file.py", "RpcUser", "-u", "2", "-r", "100", "-t", "2s",
                          "--itest-items", "7", "--itest-exit-code", "5")
        self.assertEqual(run.code, 5, run.describe())  # quitting's process_exit_code
        self.assertEqual(self.log_lines(), [
            f"init runner=LocalRunner items=7 flag=False host={NOWHERE}",
            "test_start", "test_stop",
            # environment.stats.total in quitting; the request listener saw every request.
            "quitting requests=14 failures=4 seen=14/4"])
        stats = run.stats()
        self.assertEqual(int(stats[("rpc", "do-thing")]["Request Count"]), 14)
        self.assertEqual(int(stats[("rpc", "do-thing")]["Failure Count"]), 4)
        self.assertEqual(float(stats[("rpc", "do-thing")]["Average Content Size"]), 10.0)
        self.assertEqual(run.failures(), {("rpc", "do-thing", "ValueError('rpc failed')"): 4})

    def test_option_from_its_env_var_and_a_flag(self):
        run = self.run_py("events_file.py", "RpcUser", "-u", "1", "-t", "1s", "--itest-flag",
                          env={"LOCUST_ITEST_ITEMS": "4"})
        self.assertEqual(run.code, 1, run.describe())  # a failure: exit code 1
        self.assertEqual(self.log_lines()[0],
                         f"init runner=LocalRunner items=4 flag=True host={NOWHERE}")
        self.assertEqual(run.count("rpc", "do-thing"), 4)

    def test_option_default_and_help(self):
        run = self.run_py("events_file.py", "RpcUser", "-u", "1", "-t", "1s")
        self.assertEqual(self.log_lines()[0],
                         f"init runner=LocalRunner items=3 flag=False host={NOWHERE}")
        self.assertEqual(run.count("rpc", "do-thing"), 3)
        shown = subprocess.run([itest.binary("hornet"), "-f", scenario("events_file.py"),
                                "--help"], capture_output=True, text=True, timeout=60,
                               env=itest.clean_environment())
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertRegex(shown.stdout, r"--itest-items ITEST_ITEMS\s+How many items the itest "
                                       r"user asks for")
        self.assertIn("LOCUST_ITEST_ITEMS", shown.stdout)
        self.assertIn("--itest-flag", shown.stdout)

    def test_bad_value_for_a_typed_option(self):
        run = self.run_py("events_file.py", "RpcUser", "-u", "1", "-t", "1s",
                          "--itest-items", "many")
        self.assertEqual(run.code, 2, run.describe())  # a usage error, as argparse's
        self.assertIn("argument --itest-items: invalid int value: 'many'", run.stderr)
        self.assertEqual(self.log_lines(), [])  # before init: no run

    def test_start_form_sets_a_custom_option(self):
        # The web UI shows the option with its value and a swarm's value reaches
        # environment.parsed_options (RpcUser stops after itest_items calls).
        env = {"PY_LOG": str(self.log_path())}
        with itest.Hornet("hornet", "-f", scenario("events_file.py"), "RpcUser", "-H", NOWHERE,
                          "-P", "0", env=env) as hornet:
            web = []

            def web_port():
                web[:] = re.findall(r"Starting web interface at http://[^:]+:(\d+)",
                                    hornet.stderr)
                return bool(web)
            itest.wait_until(web_port, itest.WAIT_TIMEOUT, "the web UI's address")
            base = f"http://127.0.0.1:{web[0]}"
            with urllib.request.urlopen(f"{base}/ui/config", timeout=10) as response:
                options = {o["dest"]: o for o in json.load(response)["extra_options"]}
            self.assertEqual(options["itest_items"]["value"], "3")
            self.assertEqual(options["itest_items"]["type"], "int")
            form = urllib.parse.urlencode({"user_count": "1", "spawn_rate": "10",
                                           "run_time": "2", "itest_items": "6"}).encode()
            with urllib.request.urlopen(f"{base}/swarm", data=form, timeout=10) as response:
                self.assertTrue(json.load(response)["success"])
            itest.wait_until(lambda: "--run-time limit reached" in hornet.stderr,
                             itest.WAIT_TIMEOUT, "the end of the run")
            hornet.stop(signal.SIGINT)
            self.assertEqual(hornet.count("rpc", "do-thing"), 6, hornet.describe())

    def test_runner_quit_from_a_task_ends_the_run(self):
        run = self.run_py("events_file.py", "QuitterUser", "-u", "1", "-t", "10m", timeout=60)
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(self.log_lines(), [
            f"init runner=LocalRunner items=3 flag=False host={NOWHERE}", "test_start",
            "calling quit", "test_stop", "quitting requests=3 failures=0 seen=3/0"])
        self.assertEqual(self.marks(run), {"quitter": 3})


# -- 7. LoadTestShape --------------------------------------------------------------------------

class Shape(PyTest):

    def test_stages_and_the_end_stop_a_headless_run(self):
        run = self.run_py("shape_file.py", "--csv-full-history", timeout=60)
        self.assertEqual(run.code, 0, run.describe())
        ramps = re.findall(r"Ramping to (\d+) users", run.stderr)
        self.assertEqual(ramps, ["2", "5"], run.describe())
        self.assertIn("Shape test stopping", run.stderr)
        self.assertEqual(self.marks(run)["started"], 5)  # 2, then 3 more
        counts = [int(row["User Count"]) for row in run.history() if row["Name"] == "Aggregated"]
        self.assertIn(2, counts)
        self.assertIn(5, counts)
        self.assertEqual(counts[:counts.index(5)], [2] * counts.index(5), counts)
        self.assertEqual(self.log_lines(), ["test_stop"])
        self.assertGreaterEqual(run.took, 4.0)  # the stages last 4 s


# -- 8. cooperative sleeps and gevent ----------------------------------------------------------

class Cooperation(PyTest):

    def test_time_sleep_cooperates(self):
        # 20 users sleeping 0.5 s per task for 3 s: cooperative gives ~120 tasks; sleeps that
        # block the thread at most 6.
        run = self.run_py("sleepy.py", "TimeSleepUser", "-u", "20", "-r", "100", "-t", "3s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertGreaterEqual(self.marks(run).get("time end", 0), 60, self.marks(run))

    def test_gevent_sleep_cooperates(self):
        run = self.run_py("sleepy.py", "GeventSleepUser", "-u", "20", "-r", "100", "-t", "3s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(run.exceptions(), [])
        self.assertGreaterEqual(self.marks(run).get("gevent end", 0), 60, self.marks(run))

    def test_spawn_group_semaphore(self):
        run = self.run_py("gevent_api.py", "-u", "2", "-r", "100", "-t", "3s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(run.exceptions(), [])
        lines = self.log_lines()
        self.assertEqual(lines.count("group joined"), 2, lines)
        self.assertEqual(lines.count("spawn value 20"), 2, lines)
        self.assertEqual(lines.count("semaphore max 2"), 2, lines)
        # The group's children overlapped: every child started before the first one ended.
        first_end = next(i for i, line in enumerate(lines) if line.startswith("child-end"))
        starts = [i for i, line in enumerate(lines) if line.startswith("child-start")]
        self.assertGreaterEqual(sum(1 for i in starts if i < first_end), 5, lines)
        self.assertEqual(self.marks(run), {"child": 12})


# -- 9. stopping -------------------------------------------------------------------------------

class Stopping(PyTest):

    def test_stop_timeout_lets_the_task_finish(self):
        run = self.run_py("stopping.py", "SleeperUser", "-u", "2", "-r", "100", "-t", "1s",
                          "-s", "5")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(self.marks(run), {"begin": 2, "end": 2})

    def test_without_stop_timeout_the_task_is_interrupted(self):
        run = self.run_py("stopping.py", "SleeperUser", "-u", "2", "-r", "100", "-t", "1s")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(self.marks(run), {"begin": 2})
        self.assertEqual(run.exceptions(), [])

    def test_sigint_gives_complete_csv(self):
        run = itest.Hornet("hornet", "-f", scenario("stopping.py"), "BusyUser", "-H", NOWHERE,
                           "--headless", "-u", "3", "-r", "100", "-t", "10m",
                           env={"PY_LOG": str(self.log_path())})
        self.addCleanup(run.close)
        itest.wait_until(lambda: self.log_path().exists() and len(self.log_lines()) >= 20,
                         itest.WAIT_TIMEOUT, "some tasks")
        code, _ = run.stop(signal.SIGINT)
        self.assertEqual(code, 0, run.describe())
        self.assertTrue(run.csv_bytes("stats").decode().startswith(itest.STATS_HEADER))
        self.assertTrue(run.csv_bytes("failures").decode().startswith(itest.FAILURES_HEADER))
        self.assertTrue(run.csv_bytes("exceptions").decode().startswith(itest.EXCEPTIONS_HEADER))
        marks = self.marks(run)
        # Every task's mark is in the final CSV, and on_stop ran for each user.
        self.assertEqual(marks, {"busy": len(self.log_lines()), "busy on_stop": 3})
        aggregated = int(run.stats()[("", "Aggregated")]["Request Count"])
        self.assertEqual(aggregated, sum(marks.values()))


# -- 10. distributed ---------------------------------------------------------------------------

class Distributed(PyTest):

    def start(self, argv, name):
        log = open(self.log_path().parent / f"{name}.out", "wb")
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, cwd=self.log_path().parent,
                                   env=itest.clean_environment(
                                       {"PY_LOG": str(self.log_path())},
                                       home=str(self.log_path().parent)))

        def close():
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()
        self.addCleanup(close)
        return process

    def output(self, name):
        return (self.log_path().parent / f"{name}.out").read_bytes().decode(errors="replace")

    def hornet_worker(self, port, name="worker"):
        return self.start([itest.binary("hornet"), "-f", scenario("stopping.py"), "--worker",
                           "--master-port", str(port)], name)

    def check_counts(self, csv_path):
        with open(csv_path, newline="") as file:
            import csv
            rows = {(r["Type"], r["Name"]): r for r in csv.DictReader(file)}
        # What the workers' users did (their log) is exactly what the master counted.
        self.assertEqual(int(rows[("MARK", "busy")]["Request Count"]), len(self.log_lines()))
        self.assertGreater(len(self.log_lines()), 10)
        self.assertEqual(rows[("", "Aggregated")]["Failure Count"], "0")

    def test_processes_run_python_users_in_every_worker_process(self):
        # --processes 2: a master and two worker processes, each with its own interpreter.
        prefix = self.log_path().parent / "procs"
        master = self.start([itest.binary("hornet"), "-f", scenario("stopping.py"), "BusyUser",
                             "--processes", "2", "-H", NOWHERE, "--headless", "-u", "4",
                             "-r", "100", "-t", "3s", "--csv", str(prefix)], "procs")
        self.assertEqual(master.wait(itest.RUN_TIMEOUT), 0, self.output("procs")[-3000:])
        self.check_counts(f"{prefix}_stats.csv")
        ready = re.findall(r"Worker (\S+) \(index \d+\) reported as ready", self.output("procs"))
        self.assertEqual(len(set(ready)), 2, self.output("procs")[-3000:])

    def test_hornet_worker_under_a_hornet_master(self):
        port = free_port()
        prefix = self.log_path().parent / "master"
        master = self.start([itest.binary("hornet"), "-f", scenario("stopping.py"), "BusyUser",
                             "--master", "--master-bind-host", "127.0.0.1",
                             "--master-bind-port", str(port), "-H", NOWHERE, "--headless",
                             "-u", "4", "-r", "100", "-t", "3s", "--expect-workers", "2",
                             "--csv", str(prefix)], "master")
        workers = [self.hornet_worker(port, f"worker{i}") for i in range(2)]
        self.assertEqual(master.wait(itest.RUN_TIMEOUT), 0, self.output("master")[-3000:])
        for i, worker in enumerate(workers):
            self.assertEqual(worker.wait(30), 0, self.output(f"worker{i}")[-3000:])
        self.check_counts(f"{prefix}_stats.csv")
        self.assertIn("Sending spawn jobs of 4 users", self.output("master"))

    @unittest.skipUnless(locust_available(), "needs Debian's python3-locust")
    def test_hornet_worker_under_a_locust_master(self):
        port = free_port()
        prefix = self.log_path().parent / "locust"
        master = self.start(LOCUST + ["-f", scenario("stopping.py"), "BusyUser", "--master",
                                      "--master-bind-host", "127.0.0.1", "--master-bind-port",
                                      str(port), "-H", NOWHERE, "--headless", "-u", "4",
                                      "-r", "100", "-t", "3s", "--expect-workers", "1",
                                      "--csv", str(prefix)], "locust-master")
        worker = self.hornet_worker(port)
        master.wait(itest.RUN_TIMEOUT)
        self.assertEqual(worker.wait(30), 0, self.output("worker")[-3000:])
        self.assertNotIn("Traceback", self.output("locust-master"))
        self.check_counts(f"{prefix}_stats.csv")


if __name__ == "__main__":
    itest.main()
