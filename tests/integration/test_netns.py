#!/usr/bin/env python3
"""Distributed mode across hosts: the demo target, a Hornet master and two Hornet workers each in
its own network namespace, so master and workers talk over a real (virtual) Ethernet link between
different addresses, not over loopback. The master runs the seed scenario headless on the two
workers; its exit code is 0, both workers exit 0 after its quit, its CSV counts exactly what the
demo target served, nothing failed and every user logged in.

Needs root and `ip netns` (iproute2); skipped otherwise.

    sudo python3 test_netns.py seed=PATH demo=PATH [-v]

The namespaces are named hornet-<pid>-{lan,demo,master,workers}. `lan` holds only a bridge: each
of the other three has one veth pair to it, so the host's own network is never touched and the
subnet (10.213.47.0/24) cannot clash with anything outside the namespaces. Everything is removed
in the class cleanup, also when the setup fails halfway.
"""

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

import itest

SUBNET = "10.213.47"
ADDRESSES = {"demo": f"{SUBNET}.1", "master": f"{SUBNET}.2", "workers": f"{SUBNET}.3"}
USERS = 6
WORKERS = 2
RUN_TIME = "6s"
MASTER_TIMEOUT = 30  # --master-timeout of the workers: a bound, never reached in a passing run
IP_TIMEOUT = 30.0    # any one `ip` command
QUIT_TIMEOUT = 30.0  # from the master's exit to each worker's


def ip(*args, check=True):
    """Runs `ip ARGS`; returns the completed process. Raises with ip's stderr if it failed."""
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=IP_TIMEOUT)
    if check and done.returncode != 0:
        raise AssertionError(f"ip {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()}")
    return done


def in_namespace(namespace):
    """The wrapper that runs a command inside `namespace` (ip execs it: signals reach it)."""
    return ["ip", "netns", "exec", namespace]


class DemoTargetInNamespace(itest.DemoTarget):
    """hornet-demo listening on `address` inside `namespace`, port 0 (stop() is DemoTarget's)."""

    LISTENING = re.compile(r"^hornet-demo listening on (http)://([0-9.]+):(\d+)$")

    def __init__(self, namespace, address):
        self.namespace = namespace
        self._stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [*in_namespace(namespace), itest.binary("demo"), "--host", address, "--port", "0",
             "--threads", "1"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline().rstrip("\n") if ready else ""
        match = self.LISTENING.match(line)
        if not match or match.group(2) != address:
            self.stop()
            raise AssertionError(f"hornet-demo in {namespace}: unexpected first line {line!r}")
        self.url = f"http://{address}:{match.group(3)}"

    def stats(self):
        """/__demo/stats, fetched from inside the demo target's namespace."""
        script = ("import sys, urllib.request\n"
                  "with urllib.request.urlopen(sys.argv[1], timeout=20) as response:\n"
                  "    sys.stdout.write(response.read().decode())\n")
        done = subprocess.run([*in_namespace(self.namespace), sys.executable, "-c", script,
                               self.url + "/__demo/stats"],
                              capture_output=True, text=True, timeout=itest.WAIT_TIMEOUT)
        if done.returncode != 0:
            raise AssertionError(f"GET {self.url}/__demo/stats in {self.namespace}: "
                                 f"{done.stderr.strip()}")
        return json.loads(done.stdout)



class Network:
    """The namespaces and links; `close` deletes whatever was created, in any state."""

    def __init__(self, tag=""):
        prefix = f"hornet-{os.getpid()}{tag}-"
        self.lan = prefix + "lan"
        self.namespaces = {role: prefix + role for role in ADDRESSES}
        self.created = []
        # The first namespace tells whether this system allows them at all (a container without
        # CAP_SYS_ADMIN does not): that is a reason to skip, any later failure is a failure.
        done = ip("netns", "add", self.lan, check=False)
        if done.returncode != 0:
            raise unittest.SkipTest(f"`ip netns add` failed: {done.stderr.strip()}")
        self.created.append(self.lan)
        ip("-n", self.lan, "link", "add", "br0", "type", "bridge")
        ip("-n", self.lan, "link", "set", "br0", "up")
        for role, namespace in self.namespaces.items():
            ip("netns", "add", namespace)
            self.created.append(namespace)
            ip("-n", namespace, "link", "set", "lo", "up")
            # One veth pair per host: "eth0" in the host's namespace, "to-<role>" on the bridge.
            ip("-n", self.lan, "link", "add", f"to-{role}", "type", "veth", "peer", "name",
               "eth0", "netns", namespace)
            ip("-n", self.lan, "link", "set", f"to-{role}", "master", "br0", "up")
            ip("-n", namespace, "addr", "add", f"{ADDRESSES[role]}/24", "dev", "eth0")
            ip("-n", namespace, "link", "set", "eth0", "up")

    def close(self):
        errors = []
        for namespace in reversed(self.created):
            done = ip("netns", "del", namespace, check=False)
            if done.returncode != 0:
                errors.append(f"ip netns del {namespace}: {done.stderr.strip()}")
        self.created = []
        if errors:
            raise AssertionError("; ".join(errors))


class DistributedAcrossNamespaces(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (creates network namespaces)")
        if shutil.which("ip") is None:
            raise unittest.SkipTest("no `ip` command (iproute2)")
        if ip("netns", "list", check=False).returncode != 0:
            raise unittest.SkipTest("`ip netns` is not available")
        itest.binary("seed")
        itest.binary("demo")
        # Class cleanups run in reverse order, also when setUpClass fails: processes first, then
        # the namespaces they ran in.
        cls.network = Network()
        cls.addClassCleanup(cls.network.close)
        ns = cls.network.namespaces

        cls.demo = DemoTargetInNamespace(ns["demo"], ADDRESSES["demo"])
        cls.addClassCleanup(cls.demo.stop)
        cls.before = cls.demo.stats()

        # The default master port, 5557: nothing else listens in a fresh namespace. --stop-timeout
        # lets the users finish their task at the time limit, so every request the demo target
        # answered is also in the statistics.
        cls.master = itest.Hornet(
            "seed", "--master", "--master-bind-host", "0.0.0.0", "--headless",
            "-u", str(USERS), "-r", str(USERS), "-t", RUN_TIME, "-s", "10",
            "--expect-workers", str(WORKERS), "--expect-workers-max-wait", "60",
            "-H", cls.demo.url, wrapper=in_namespace(ns["master"]))
        cls.addClassCleanup(cls.master.close)
        cls.workers = []
        for _ in range(WORKERS):
            worker = itest.Hornet(
                "seed", "--worker", "--master-host", ADDRESSES["master"], "--threads", "1",
                "--master-timeout", str(MASTER_TIMEOUT), csv=False,
                wrapper=in_namespace(ns["workers"]))
            cls.addClassCleanup(worker.close)
            cls.workers.append(worker)

        cls.master.wait(itest.RUN_TIMEOUT)
        for worker in cls.workers:
            worker.wait(QUIT_TIMEOUT)
        cls.after = cls.demo.stats()

    def served(self, route, method, status):
        """How many responses the demo target served during the run."""
        def count(stats):
            return stats["routes"].get(route, {}).get(method, {}).get(str(status), 0)
        return count(self.after) - count(self.before)

    def test_master_exits_0_after_both_workers_joined(self):
        self.assertEqual(self.master.code, 0, self.master.describe())
        log = self.master.stderr
        self.assertIn(f"{WORKERS} workers connected", log)
        self.assertIn("Run time limit set to 6 seconds", log)
        self.assertNotIn("missing", log)
        self.assertNotIn("Not every worker", log)

    def test_workers_exit_0_after_the_masters_quit(self):
        for worker in self.workers:
            with self.subTest(worker=worker.argv):
                self.assertEqual(worker.code, 0, worker.describe())
                log = worker.stderr
                self.assertIn(f"master at {ADDRESSES['master']}:5557", log)
                self.assertIn("Connected to the master as worker index", log)
                self.assertIn("Got quit message from master", log)
                self.assertNotIn("Lost the connection", log)

    def test_counts_equal_what_the_demo_target_served(self):
        m = self.master
        # The login POST's redirect to / is followed and recorded under the POST (test_seed.py).
        self.assertEqual(m.count("GET", "/accounts/login/"),
                         self.served("/accounts/login/", "GET", 200))
        self.assertEqual(m.count("POST", "/accounts/login/"),
                         self.served("/accounts/login/", "POST", 302))
        self.assertEqual(m.count("GET", "/") + m.count("POST", "/accounts/login/"),
                         self.served("/", "GET", 200))
        self.assertEqual(m.count("GET", "/heavy_url/"), self.served("/heavy_url/", "GET", 200))
        self.assertEqual(m.count("GET", "/another_heavy_ajax_url/"),
                         self.served("/another_heavy_ajax_url/", "GET", 200))
        served_total = self.after["responses"] - self.before["responses"]
        aggregated = int(m.stats()[("", "Aggregated")]["Request Count"])
        self.assertGreater(aggregated, 3 * USERS)  # more than the logins: tasks ran
        self.assertEqual(served_total, aggregated + m.count("POST", "/accounts/login/"))

    def test_no_failures(self):
        self.assertEqual(self.master.failures(), {})
        self.assertEqual(self.master.exceptions(), [])
        self.assertEqual(self.master.stats()[("", "Aggregated")]["Failure Count"], "0")

    def test_every_user_logged_in(self):
        delta = {key: self.after[key] - self.before[key]
                 for key in ("logins_succeeded", "csrf_rejections", "bad_credentials")}
        self.assertEqual(delta, {"logins_succeeded": USERS, "csrf_rejections": 0,
                                 "bad_credentials": 0})


class NetworkCut(unittest.TestCase):
    """The master's link goes down mid-run (no FIN, no RST: a vanished machine): the worker
    notices through ZeroMQ's heartbeats, stops its users and, after --master-timeout, exits 1."""

    def test_worker_notices_a_cut_link_and_gives_up(self):
        if os.geteuid() != 0 or shutil.which("ip") is None:
            self.skipTest("needs root and `ip netns`")
        network = Network(tag="c")
        self.addCleanup(network.close)
        ns = network.namespaces
        demo = DemoTargetInNamespace(ns["demo"], ADDRESSES["demo"])
        self.addCleanup(demo.stop)
        master = itest.Hornet(
            "seed", "--master", "--master-bind-host", "0.0.0.0", "--headless", "-u", "2",
            "-r", "2", "-t", "5m", "--expect-workers", "1", "-H", demo.url,
            wrapper=in_namespace(ns["master"]))
        self.addCleanup(master.close)
        worker = itest.Hornet(
            "seed", "--worker", "--master-host", ADDRESSES["master"], "--threads", "1",
            "--master-timeout", "3", csv=False, wrapper=in_namespace(ns["workers"]))
        self.addCleanup(worker.close)
        itest.wait_until(lambda: "All users spawned" in master.stderr, itest.WAIT_TIMEOUT,
                         "the users spawned")
        ip("-n", network.lan, "link", "set", "to-master", "down")
        self.assertEqual(worker.wait(60), 1, worker.describe())
        self.assertIn("Lost the connection to the master", worker.stderr)
        self.assertIn("did not come back within 3 s: giving up", worker.stderr)


if __name__ == "__main__":
    itest.main()
