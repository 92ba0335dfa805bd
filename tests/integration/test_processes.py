#!/usr/bin/env python3
"""`--processes N`: one command, a master and N worker processes of the same program on loopback.

Exact counts (the CSV total is what the server served) for `hornet URL` and a `.lua` file, both
worker processes given users (the web UI's worker list), no child left after the exit (the
children's pids, read from /proc while it runs), SIGINT to the parent ending everything with
complete CSV files, SIGKILL to the parent ending the children (PR_SET_PDEATHSIG), `--worker
--processes 2` under a separate master, `-1`, and the usage errors (0, -2, --master).

    python3 test_processes.py hornet=PATH [-v]
"""

import json
import os
import re
import signal
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

import itest
from itest_server import ServerTestCase

LUA_SCENARIO = """\
local hornet = require("hornet")
local Loop = hornet.TaskSet("Loop")
Loop:task("get", function(self) self.client:get("/echo/get") end)
local LuaUser = hornet.HttpUser("LuaUser")
LuaUser:task(Loop)
"""


def children_of(pid):
    """The pids whose parent is `pid` (from /proc/*/stat)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def alive(pid):
    """True if `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_for_children(hornet, count):
    """Waits until the Hornet run has `count` child processes; returns their pids."""
    found = []

    def check():
        nonlocal found
        found = children_of(hornet.process.pid)
        return len(found) >= count or not hornet.running()
    itest.wait_until(check, itest.WAIT_TIMEOUT, f"{count} worker processes", poll=0.05)
    if len(found) < count:
        raise AssertionError(f"exited early with {hornet.process.returncode}: "
                             f"{hornet.stderr[-3000:]}")
    return found


def ready_workers(log):
    """The ids of the workers the master saw ready (a worker may announce itself again)."""
    return set(re.findall(r"Worker (\S+) \(index \d+\) reported as ready", log))


def assert_gone(test, pids, within=10.0):
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    test.assertEqual([pid for pid in pids if alive(pid)], [], "worker processes left running")


class ProcessesTest(ServerTestCase):

    def test_url_headless_exact_counts_and_no_child_left(self):
        url = f"{self.server.url}/echo/get?p=1"
        before = self.server.count(path="/echo/get")
        # -s: at the time limit users finish their request, so each one sent is also counted.
        with itest.Hornet("hornet", url, "--processes", "2", "--headless", "-u", "4", "-r", "100",
                          "-t", "5s", "-s", "5") as hornet:
            pids = wait_for_children(hornet, 2)
            self.assertEqual(len(pids), 2)
            self.assertEqual(hornet.wait(), 0, hornet.describe())
            assert_gone(self, pids)
            count = hornet.count("GET", "/echo/get?p=1")
            self.assertGreater(count, 10)
            self.assertEqual(self.server.count(path="/echo/get") - before, count)
            log = hornet.stderr
            self.assertIn("Started 2 worker process(es)", log)
            self.assertEqual(len(ready_workers(log)), 2, log[-3000:])
            self.assertEqual(len(re.findall(r"Got quit message from master", log)), 2)

    def test_lua_file(self):
        with tempfile.TemporaryDirectory(prefix="hornet-itest-procs-") as directory:
            scenario = Path(directory) / "loop.lua"
            scenario.write_text(LUA_SCENARIO)
            before = self.server.count(path="/echo/get")
            with itest.run("hornet", "-f", str(scenario), "-H", self.server.url,
                           "--processes", "2", "--headless", "-u", "4", "-r", "100",
                           "-t", "3s", "-s", "5") as hornet:
                self.assertEqual(hornet.code, 0, hornet.describe())
                count = hornet.count("GET", "/echo/get")
                self.assertGreater(count, 10)
                self.assertEqual(self.server.count(path="/echo/get") - before, count)
                self.assertEqual(len(ready_workers(hornet.stderr)), 2, hornet.stderr[-3000:])

    def test_web_ui_both_workers_get_users_and_sigint_ends_everything(self):
        url = f"{self.server.url}/echo/get?p=2"
        before = self.server.count(path="/echo/get")
        with itest.Hornet("hornet", url, "--processes", "2", "--autostart", "-P", "0",
                          "-u", "4", "-r", "100", "-t", "10m", "-s", "5") as hornet:
            pids = wait_for_children(hornet, 2)
            web = []

            def web_port():
                web[:] = re.findall(r"Starting web interface at http://[^:]+:(\d+)",
                                    hornet.stderr)
                return bool(web)
            itest.wait_until(web_port, itest.WAIT_TIMEOUT, "the web UI's address")
            last = {}

            def two_workers_with_users():
                nonlocal last
                with urllib.request.urlopen(f"http://127.0.0.1:{web[0]}/stats/requests",
                                            timeout=10) as response:
                    last = json.load(response)
                workers = last.get("workers", [])
                return (len(workers) == 2 and all(w["user_count"] == 2 for w in workers)
                        and last["stats"][-1]["num_requests"] > 20)
            try:
                itest.wait_until(two_workers_with_users, itest.WAIT_TIMEOUT,
                                 "both workers running 2 users", poll=0.2)
            except AssertionError as error:
                raise AssertionError(f"{error}; last: {last.get('workers')}") from None
            code, _ = hornet.stop(signal.SIGINT)
            self.assertEqual(code, 0, hornet.describe())
            assert_gone(self, pids)
            self.assertEqual(sorted(hornet.stats()), [("", "Aggregated"), ("GET", "/echo/get?p=2")])
            count = hornet.count("GET", "/echo/get?p=2")
            self.assertEqual(self.server.count(path="/echo/get") - before, count)

    def test_killed_parent_leaves_no_worker(self):
        url = f"{self.server.url}/echo/get?p=3"
        with itest.Hornet("hornet", url, "--processes", "2", "--headless", "-u", "2",
                          "-r", "100", "-t", "10m", csv=False) as hornet:
            pids = wait_for_children(hornet, 2)
            self.server.wait_for(lambda: self.server.count(path="/echo/get") > 0,
                                 itest.WAIT_TIMEOUT, "requests")
            hornet.kill()  # SIGKILL: nothing of Hornet runs; PR_SET_PDEATHSIG ends the children
            assert_gone(self, pids)

    def test_minus_one_is_one_per_core(self):
        cores = len(os.sched_getaffinity(0))
        with itest.run("hornet", f"{self.server.url}/echo/get?p=4", "--processes", "-1",
                       "--headless", "-u", "1", "-r", "100", "-t", "1s", csv=False) as hornet:
            self.assertEqual(hornet.code, 0, hornet.describe())
            # hardware_concurrency counts the machine's cores, affinity may allow fewer.
            started = int(re.search(r"Started (\d+) worker process", hornet.stderr).group(1))
            self.assertGreaterEqual(started, cores)
            self.assertEqual(len(ready_workers(hornet.stderr)), started)

    def test_worker_processes_for_a_separate_master(self):
        url = f"{self.server.url}/echo/get?p=5"
        before = self.server.count(path="/echo/get")
        with itest.Hornet("hornet", url, "--master", "--master-bind-host", "127.0.0.1",
                          "--master-bind-port", "0", "--headless", "--expect-workers", "2",
                          "-u", "4", "-r", "100", "-t", "3s", "-s", "5") as master:
            ports = []

            def bound():
                ports[:] = re.findall(r"listening for workers on port (\d+)", master.stderr)
                return bool(ports) or not master.running()
            itest.wait_until(bound, itest.WAIT_TIMEOUT, "the master's port")
            self.assertTrue(ports, master.describe())
            with itest.Hornet("hornet", url, "--worker", "--processes", "2", "--master-port",
                              ports[0], csv=False) as workers:
                pids = wait_for_children(workers, 2)
                self.assertEqual(master.wait(), 0, master.describe())
                self.assertEqual(workers.wait(itest.STOP_TIMEOUT), 0, workers.describe())
                assert_gone(self, pids)
            count = master.count("GET", "/echo/get?p=5")
            self.assertGreater(count, 10)
            self.assertEqual(self.server.count(path="/echo/get") - before, count)

    def test_worker_processes_pass_sigint_on(self):
        with itest.Hornet("hornet", f"{self.server.url}/echo/get?p=6", "--worker",
                          "--processes", "2", "--master-port", "1", csv=False) as workers:
            pids = wait_for_children(workers, 2)
            # Early: a worker that has not yet set up its signal handling takes it when it has.
            code, _ = workers.stop(signal.SIGINT)
            self.assertEqual(code, 0, workers.describe())
            assert_gone(self, pids)

    def test_usage_errors(self):
        url = f"{self.server.url}/echo/get"
        for flags, message in ((["--processes", "0"], "argument --processes: invalid value: '0'"),
                               (["--processes", "-2"], "argument --processes: invalid value"),
                               (["--processes", "x"], "argument --processes"),
                               (["--master", "--processes", "2"],
                                "--master cannot be combined with --processes")):
            with self.subTest(flags=flags):
                with itest.run("hornet", url, *flags, "--headless", "-t", "1s",
                               csv=False, timeout=30) as hornet:
                    self.assertEqual(hornet.code, 2, hornet.describe())
                    self.assertIn(message, hornet.stderr)
        with itest.run("hornet", url, "--headless", "-t", "1s", csv=False, timeout=30,
                       env={"HORNET_PROCESSES": "0"}) as hornet:
            self.assertEqual(hornet.code, 2, hornet.describe())
            self.assertIn("argument --processes", hornet.stderr)


if __name__ == "__main__":
    itest.main()
