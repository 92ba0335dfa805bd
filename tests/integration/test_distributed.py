#!/usr/bin/env python3
"""Distributed runs on Locust's master/worker protocol, all on loopback: a Hornet master with
Hornet workers (exact counts), a Locust master with Hornet workers, a Hornet master with a Locust
worker and a Hornet worker, a worker killed and replaced, a master that disappears, malformed and
unknown messages from a fake peer, and CurveZMQ (--dist-key).

Runs with Debian's Python (/usr/bin/python3), which has python3-zmq, python3-msgpack and
python3-locust:

    /usr/bin/python3 test_distributed.py seed=PATH demo=PATH hornet=PATH [-v]
"""

import csv
import json
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

import itest

LOCUST = ["/usr/bin/python3", "-m", "locust"]
MISSING_WITHIN = 5.0  # s from the kill: a silent worker is missing after 4 heartbeat checks

LOCUSTFILE = '''
from locust import HttpUser, task, constant

class WebsiteUser(HttpUser):
    """The class name of examples/seed.cpp, so a Hornet master can dispatch it. Its requests
    are named "locust-ajax" so the master's table tells them apart."""
    wait_time = constant(0.5)

    @task
    def ajax(self):
        self.client.get("/another_heavy_ajax_url/", name="locust-ajax",
                        headers={"X-Requested-With": "XMLHttpRequest"})
'''


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_stats(path):
    """{(Type, Name): row} of a _stats.csv file."""
    with open(path, newline="") as file:
        return {(r["Type"], r["Name"]): r for r in csv.DictReader(file)}


def modules_available():
    try:
        import msgpack  # noqa: F401
        import zmq  # noqa: F401
    except ImportError:
        return False
    return True


class Process:
    """A background process with its output in a file, killed at cleanup."""

    def __init__(self, argv, directory, name, env=None):
        self.argv = argv
        self.log_path = Path(directory) / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, cwd=directory,
                                        env=itest.clean_environment(env, home=str(directory)))

    @property
    def output(self):
        self._log.flush()
        return self.log_path.read_bytes().decode(errors="replace")

    def wait(self, timeout):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.argv} did not exit within {timeout} s:\n{self.output[-3000:]}")

    def signal(self, sig):
        if self.process.poll() is None:
            self.process.send_signal(sig)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


class DistributedTestCase(unittest.TestCase):
    """A temporary directory, the demo target, and processes that are all ended at cleanup."""

    def setUp(self):
        self.work = tempfile.TemporaryDirectory(prefix="hornet-itest-dist-")
        self.addCleanup(self.work.cleanup)
        self.dir = Path(self.work.name)
        self.demo = itest.DemoTarget("--threads", "1")
        self.addCleanup(self.demo.stop)
        self.before = self.demo.stats()
        self.port = free_port()

    def start(self, argv, name, env=None):
        process = Process(argv, self.dir, name, env)
        self.addCleanup(process.close)
        return process

    def hornet_master(self, *flags, name="master"):
        return self.start([itest.binary("seed"), "--master", "--master-bind-host", "127.0.0.1",
                           "--master-bind-port", str(self.port), "-H", self.demo.url, *flags],
                          name)

    def hornet_worker(self, *flags, name="worker"):
        # No -s: workers take the master's --stop-timeout from its spawn messages.
        return self.start([itest.binary("seed"), "--worker", "--master-port", str(self.port),
                           "--threads", "1", *flags], name)

    def served(self):
        """Requests the demo target answered since setUp, all routes, less the GET / that
        follows each login's redirect (the client counts a redirected request once)."""
        after = self.demo.stats()

        def total(stats):
            return sum(count for methods in stats["routes"].values()
                       for statuses in methods.values() for count in statuses.values())
        def logins(stats):
            return stats["routes"].get("/accounts/login/", {}).get("POST", {}).get("302", 0)
        return total(after) - total(self.before) - (logins(after) - logins(self.before))

    def stats_requests(self, web_port):
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/stats/requests",
                                    timeout=10) as response:
            return json.load(response)

    def wait_for_workers(self, web_port, predicate, what, timeout=itest.WAIT_TIMEOUT):
        last = {}

        def check():
            nonlocal last
            try:
                last = self.stats_requests(web_port)
            except OSError:  # the web UI is not up yet
                return False
            return predicate(last.get("workers", []))
        try:
            itest.wait_until(check, timeout, what, poll=0.2)
        except AssertionError as error:
            raise AssertionError(f"{error}; workers: {last.get('workers')}") from None
        return last


class HornetMasterTest(DistributedTestCase):

    def test_counts_at_the_master_equal_what_the_workers_sent(self):
        master = self.hornet_master("--headless", "-u", "6", "-r", "6", "-t", "4s", "-s", "10",
                                    "--expect-workers", "2", "--csv", str(self.dir / "run"))
        workers = [self.hornet_worker(name=f"worker{i}") for i in range(2)]
        self.assertEqual(master.wait(itest.RUN_TIMEOUT), 0, master.output[-3000:])
        for worker in workers:
            self.assertEqual(worker.wait(30), 0, worker.output[-3000:])
            self.assertIn("Got quit message from master", worker.output)
        rows = read_stats(self.dir / "run_stats.csv")
        aggregated = rows[("", "Aggregated")]
        self.assertEqual(int(aggregated["Request Count"]), self.served())
        self.assertEqual(aggregated["Failure Count"], "0")
        self.assertEqual(int(rows[("POST", "/accounts/login/")]["Request Count"]), 6)
        self.assertIn("Sending spawn jobs of 6 users at 6.00 spawn rate to 2 ready workers",
                      master.output)

    def test_a_locust_worker_and_a_hornet_worker(self):
        (self.dir / "locustfile.py").write_text(LOCUSTFILE)
        web_port = free_port()
        master = self.hornet_master("--autostart", "-u", "4", "-r", "4", "--web-port",
                                    str(web_port), "--expect-workers", "2", "-s", "10")
        hornet = self.hornet_worker(name="hornet-worker")
        locust = self.start(LOCUST + ["-f", "locustfile.py", "--worker", "--master-port",
                                      str(self.port)], "locust-worker")

        def two_running_with_two_users(workers):
            return (len(workers) == 2 and all(w["state"] == "running" for w in workers) and
                    sorted(w["user_count"] for w in workers) == [2, 2])
        self.wait_for_workers(web_port, two_running_with_two_users,
                              "two running workers with 2 users each")

        def both_counted():
            names = {row["name"] for row in self.stats_requests(web_port)["stats"]}
            return "locust-ajax" in names and "/heavy_url/" in names
        itest.wait_until(both_counted, itest.WAIT_TIMEOUT, "requests from both workers", 0.2)
        body = self.stats_requests(web_port)
        self.assertEqual(body["slave_count"], 2)
        self.assertEqual(body["user_count"], 4)

        master.signal(signal.SIGINT)
        self.assertEqual(master.wait(60), 0, master.output[-3000:])
        self.assertEqual(hornet.wait(30), 0, hornet.output[-3000:])
        locust.wait(30)
        self.assertNotIn("Traceback", locust.output)

    def test_killed_worker_goes_missing_its_users_move_and_a_new_one_joins(self):
        web_port = free_port()
        self.hornet_master("--autostart", "-u", "4", "-r", "4", "--web-port", str(web_port),
                           "--expect-workers", "2")
        victim = self.hornet_worker(name="victim")
        self.hornet_worker(name="survivor")
        self.wait_for_workers(web_port, lambda ws: len(ws) == 2 and
                              sorted(w["user_count"] for w in ws) == [2, 2], "2 + 2 users")
        victim.process.kill()  # kill -9: no quit message, only silence
        killed = time.monotonic()
        self.wait_for_workers(web_port, lambda ws: any(w["state"] == "missing" for w in ws),
                              "the killed worker missing", timeout=30)
        # The protocol's bound, plus slack for polling and a loaded machine or sanitizer build.
        self.assertLess(time.monotonic() - killed, MISSING_WITHIN + 2.0)
        workers = self.wait_for_workers(
            web_port, lambda ws: any(w["state"] == "running" and w["user_count"] == 4 for w in ws),
            "the other worker with all 4 users", timeout=30)
        self.assertEqual(sum(w["user_count"] for w in workers["workers"]), 4)

        self.hornet_worker(name="replacement")
        self.wait_for_workers(
            web_port, lambda ws: sorted(w["user_count"] for w in ws
                                        if w["state"] in ("running", "spawning")) == [2, 2],
            "the users rebalanced over the new worker")


class LocustMasterTest(DistributedTestCase):

    def test_hornet_workers_join_a_locust_master(self):
        (self.dir / "locustfile.py").write_text(LOCUSTFILE)
        master = self.start(LOCUST + ["-f", "locustfile.py", "--master", "--master-bind-host",
                                      "127.0.0.1", "--master-bind-port", str(self.port),
                                      "--headless", "-u", "6", "-r", "6", "-t", "4s", "-s", "10",
                                      "--expect-workers", "2", "-H", self.demo.url,
                                      "--csv", str(self.dir / "locust")], "locust-master")
        workers = [self.hornet_worker(name=f"worker{i}") for i in range(2)]
        master.wait(itest.RUN_TIMEOUT)
        for worker in workers:
            self.assertEqual(worker.wait(30), 0, worker.output[-3000:])
        self.assertNotIn("Traceback", master.output)
        rows = read_stats(self.dir / "locust_stats.csv")
        aggregated = rows[("", "Aggregated")]
        self.assertGreater(int(aggregated["Request Count"]), 0)
        self.assertEqual(aggregated["Failure Count"], "0")
        # Every request the demo target served reached the Locust master's statistics.
        self.assertEqual(int(aggregated["Request Count"]), self.served())
        self.assertEqual(int(rows[("POST", "/accounts/login/")]["Request Count"]), 6)


class FaultTest(DistributedTestCase):

    def test_worker_gives_up_on_a_lost_master(self):
        web_port = free_port()
        master = self.hornet_master("--autostart", "-u", "2", "-r", "2", "--web-port",
                                    str(web_port), "--expect-workers", "1")
        worker = self.hornet_worker("--master-timeout", "2")
        self.wait_for_workers(web_port, lambda ws: len(ws) == 1 and ws[0]["state"] == "running",
                              "a running worker")
        master.process.kill()
        self.assertEqual(worker.wait(60), 1, worker.output[-3000:])
        self.assertIn("Lost the connection to the master", worker.output)
        self.assertIn("did not come back within 2 s: giving up", worker.output)
        # Its users stopped: nothing more reached the demo target after the worker exited.
        after_exit = self.demo.stats()["routes"]
        time.sleep(0.5)
        self.assertEqual(self.demo.stats()["routes"], after_exit)

    @unittest.skipUnless(modules_available(), "needs python3-zmq and python3-msgpack")
    def test_malformed_unknown_and_foreign_messages_are_ignored(self):
        import msgpack
        import zmq
        web_port = free_port()
        master = self.hornet_master("--autostart", "-u", "2", "-r", "2", "--web-port",
                                    str(web_port), "--expect-workers", "1")
        context = zmq.Context()
        self.addCleanup(context.term)
        peer = context.socket(zmq.DEALER)
        self.addCleanup(peer.close, 0)
        peer.setsockopt(zmq.IDENTITY, b"evil_0001")
        peer.connect(f"tcp://127.0.0.1:{self.port}")
        dumps = msgpack.dumps
        garbage = [
            b"\xc1",                                             # not msgpack
            b"\x93\xa4stop",                                     # truncated
            dumps(["heartbeat", {"state": "running"}]),          # two items, not three
            dumps([1, None, "evil_0001"]),                       # type not a string
            dumps(["stats", {"stats": "nope"}, "evil_0001"]),    # unknown node
            dumps(["client_ready", None, "evil_0001"]),          # pre-2.0 worker
            dumps(["spawning_complete", {}, "evil_0001"]),       # KeyError in Locust's master
            dumps(["client_ready", "2.12.1", "someone_else"]),   # node id not the sender's
        ]
        for payload in garbage:
            peer.send(payload)
        # Now a real registration, then malformed data from a known node.
        peer.send(dumps(["client_ready", "", "evil_0001"]))     # Debian's empty version
        self.assertTrue(peer.poll(20000), "no ack from the master")
        self.assertEqual(msgpack.loads(peer.recv())[0], "ack")
        for payload in [dumps(["stats", {"stats": [{"name": 1}]}, "evil_0001"]),
                        dumps(["heartbeat", {"state": 5}, "evil_0001"]),
                        dumps(["exception", "not a dict", "evil_0001"]),
                        dumps(["no_such_type", None, "evil_0001"]),
                        dumps(["stats", {"stats": [], "stats_total": {}, "errors": {},
                                         "user_classes_count": {"WebsiteUser": -5},
                                         "user_count": 2 ** 63 + 5}, "evil_0001"])]:
            peer.send(payload)
        peer.send(dumps(["quit", None, "evil_0001"]))
        # The master is alive and still runs a test with a real worker.
        worker = self.hornet_worker()
        self.wait_for_workers(web_port, lambda ws: any(w["state"] == "running" for w in ws),
                              "a running worker after the garbage")
        self.assertIsNone(master.process.poll(), master.output[-3000:])
        for expected in ("Ignored a malformed message from worker evil_0001",
                         "An old (pre 2.0) worker tried to connect",
                         "Ignored a 'spawning_complete' message from unknown worker",
                         "Unknown message type received from worker evil_0001: no_such_type",
                         "Ignored a stats report from evil_0001"):
            self.assertIn(expected, master.output)
        master.signal(signal.SIGINT)
        self.assertEqual(master.wait(60), 0, master.output[-3000:])
        self.assertEqual(worker.wait(30), 0)


class CurveTest(DistributedTestCase):

    def test_dist_key_lets_in_only_workers_with_the_key(self):
        key = self.dir / "run.key"
        made = subprocess.run([itest.binary("hornet"), "make-dist-key", str(key)],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(oct(key.stat().st_mode & 0o777), "0o600")
        web_port = free_port()
        self.hornet_master("--autostart", "-u", "2", "-r", "2", "--web-port", str(web_port),
                           "--expect-workers", "1", "--dist-key", str(key))
        other_key = self.dir / "other.key"
        subprocess.run([itest.binary("hornet"), "make-dist-key", str(other_key)], check=True,
                       capture_output=True, timeout=30)
        # Only the public line: the master's public key alone is not enough to join.
        public_only = self.dir / "public.key"
        public_only.write_text(key.read_text().splitlines()[0] + "\n")
        keyless = self.hornet_worker(name="keyless")
        wrong = self.hornet_worker("--dist-key", str(other_key), name="wrong-key")
        partial = self.hornet_worker("--dist-key", str(public_only), name="public-only")
        self.hornet_worker("--dist-key", str(key), name="keyed")
        workers = self.wait_for_workers(web_port, lambda ws: len(ws) == 1 and
                                        ws[0]["state"] == "running", "the keyed worker running")
        self.assertEqual(partial.wait(30), 1)
        self.assertIn("is not a Z85 secret key", partial.output)
        time.sleep(1)  # the others had every chance by now
        self.assertEqual(len(self.stats_requests(web_port)["workers"]), 1, workers)
        for refused in (keyless, wrong):
            self.assertNotIn("Connected to the master", refused.output)
        self.assertEqual(wrong.output.count("refused the connection's handshake"), 1,
                         wrong.output[-2000:])


if __name__ == "__main__":
    itest.main()
