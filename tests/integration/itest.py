"""Shared helpers of the integration tests: the binaries under test, running a Hornet scenario
executable in a clean temporary directory, reading its CSV files and console output.

Each test_*.py file takes the binaries as NAME=PATH arguments before unittest's own:
    python3 test_faults.py plain=build/itest/tests/integration/itest_plain -v
(CTest passes seed, demo, plain and features; see CMakeLists.txt.) A test whose binary was not
given is skipped.
"""

import csv
import io
import os
import re
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

BINARIES = {}  # name -> absolute path, from the command line

# Generous bounds: sanitizer builds are 3-10x slower and the machine is shared. These are
# limits against hangs, never expectations of speed.
RUN_TIMEOUT = 120.0  # a whole Hornet run
STOP_TIMEOUT = 30.0  # from a signal to the exit
WAIT_TIMEOUT = 60.0  # for the server to see what a scenario does

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer", "ThreadSanitizer")

PERCENTILES = "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
STATS_HEADER = ("Type,Name,Request Count,Failure Count,Median Response Time,"
                "Average Response Time,Min Response Time,Max Response Time,Average Content Size,"
                "Requests/s,Failures/s," + PERCENTILES)
FAILURES_HEADER = "Method,Name,Error,Occurrences"
EXCEPTIONS_HEADER = "Count,Message,Traceback,Nodes"
HISTORY_HEADER = ("Timestamp,User Count,Type,Name,Requests/s,Failures/s," + PERCENTILES +
                  ",Total Request Count,Total Failure Count,Total Median Response Time,"
                  "Total Average Response Time,Total Min Response Time,Total Max Response Time,"
                  "Total Average Content Size")


def binary(name):
    """The path of binary `name`, or skips the calling test."""
    path = BINARIES.get(name)
    if not path:
        raise unittest.SkipTest(f"no {name}=PATH argument given")
    return path


_SANITIZED = {}


def sanitized(name):
    """True if binary `name` runs under AddressSanitizer or UndefinedBehaviorSanitizer (it links
    their runtimes)."""
    if name not in _SANITIZED:
        listing = subprocess.run(["ldd", binary(name)], capture_output=True, text=True,
                                 timeout=60).stdout
        _SANITIZED[name] = "libasan" in listing or "libubsan" in listing
    return _SANITIZED[name]


def clean_environment(extra=None, home=None):
    """The environment for a Hornet child: no HORNET_* or LOCUST_* variables (they are options),
    HOME in a temporary directory (no ~/.locust.conf), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HORNET_", "LOCUST_", "ITEST_"))}
    if home:
        env["HOME"] = home
    env.update(extra or {})
    return env


class Hornet:
    """One run of a Hornet scenario executable, started at once, in its own temporary working
    directory (so no hornet.conf or locust.conf is found), with stdout and stderr captured.

    `csv=True` adds `--csv <dir>/run`; the CSV helpers then read those files. `config_file`:
    the text of a locust.conf to put in the working directory. `max_open_files`: the process's
    RLIMIT_NOFILE. `wrapper`: a command the executable runs under, e.g. `["ip", "netns", "exec",
    NAME]` (it must exec the executable, so that signals reach it)."""

    def __init__(self, name, *args, env=None, csv=True, full_history=False, config_file=None,
                 max_open_files=None, wrapper=()):
        self.name = name
        self.directory = tempfile.TemporaryDirectory(prefix="hornet-itest-")
        self.dir = Path(self.directory.name)
        if config_file is not None:
            (self.dir / "locust.conf").write_text(config_file)
        self.prefix = str(self.dir / "run") if csv else None
        argv = [*wrapper, binary(name), *args]
        if csv:
            argv += ["--csv", self.prefix]
            if full_history:
                argv.append("--csv-full-history")
        self.argv = argv
        self._stdout = open(self.dir / "stdout.txt", "w+b")
        self._stderr = open(self.dir / "stderr.txt", "w+b")
        preexec = None
        if max_open_files is not None:
            def preexec():
                resource.setrlimit(resource.RLIMIT_NOFILE, (max_open_files, max_open_files))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=self._stdout, stderr=self._stderr,
            cwd=self.dir, env=clean_environment(env, home=str(self.dir)), preexec_fn=preexec)
        self.code = None
        self.took = None

    # -- process ----------------------------------------------------------------------------

    def running(self):
        return self.process.poll() is None

    def wait(self, timeout=RUN_TIMEOUT):
        """Waits for the exit; returns the exit code. Kills it (and fails) after `timeout`."""
        try:
            self.code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"{self.argv} did not exit within {timeout} s; "
                                 f"stderr tail: {self.stderr[-3000:]}")
        self.took = time.monotonic() - self.started
        self._check_sanitizers()
        return self.code

    def stop(self, sig=signal.SIGINT, timeout=STOP_TIMEOUT):
        """Sends `sig` and waits; returns (exit code, seconds from the signal to the exit)."""
        if not self.running():
            raise AssertionError(f"{self.argv} exited early with {self.process.returncode}; "
                                 f"stderr tail: {self.stderr[-3000:]}")
        sent = time.monotonic()
        self.process.send_signal(sig)
        code = self.wait(timeout)
        return code, time.monotonic() - sent

    def kill(self):
        if self.running():
            self.process.kill()
            self.process.wait()

    def close(self):
        self.kill()
        self._stdout.close()
        self._stderr.close()
        self.directory.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _check_sanitizers(self):
        text = self.stderr
        found = [text.index(mark) for mark in SANITIZER_MARKS if mark in text]
        if found:
            start = max(min(found) - 200, 0)
            raise AssertionError(f"sanitizer report from {self.argv}:\n{text[start:start + 8000]}")

    @property
    def stdout(self):
        self._stdout.flush()
        return (self.dir / "stdout.txt").read_bytes().decode(errors="replace")

    @property
    def stderr(self):
        self._stderr.flush()
        return (self.dir / "stderr.txt").read_bytes().decode(errors="replace")

    # -- CSV files --------------------------------------------------------------------------

    def csv_path(self, kind):
        return Path(f"{self.prefix}_{kind}.csv")

    def csv_bytes(self, kind):
        return self.csv_path(kind).read_bytes()

    def csv_rows(self, kind):
        """The rows of {prefix}_{kind}.csv as dicts (header names as keys)."""
        text = self.csv_bytes(kind).decode()
        return list(csv.DictReader(io.StringIO(text, newline="")))

    def stats(self):
        """{(method, name): row} of _stats.csv; the Aggregated row under ("", "Aggregated")."""
        return {(row["Type"], row["Name"]): row for row in self.csv_rows("stats")}

    def failures(self):
        """{(method, name, error): occurrences} of _failures.csv."""
        return {(row["Method"], row["Name"], row["Error"]): int(row["Occurrences"])
                for row in self.csv_rows("failures")}

    def exceptions(self):
        return self.csv_rows("exceptions")

    def history(self):
        return self.csv_rows("stats_history")

    def count(self, method, name):
        """Request Count of one entry of _stats.csv (0 if absent)."""
        row = self.stats().get((method, name))
        return int(row["Request Count"]) if row else 0

    def failure_count(self, method, name):
        row = self.stats().get((method, name))
        return int(row["Failure Count"]) if row else 0

    def describe(self):
        """Context for assertion messages: the command, exit code and stderr's tail."""
        return f"\n{self.argv}\nexit {self.code}\nstderr tail:\n{self.stderr[-4000:]}"


def run(name, *args, env=None, timeout=RUN_TIMEOUT, **kwargs):
    """Runs a Hornet executable to its end; returns the (finished) Hornet. Close it when done."""
    hornet = Hornet(name, *args, env=env, **kwargs)
    try:
        hornet.wait(timeout)
    except BaseException:
        hornet.close()
        raise
    return hornet


def wait_until(predicate, timeout, what, poll=0.05):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)


class DemoTarget:
    """hornet-demo on 127.0.0.1, port 0 (see test_demo_target.py)."""

    LISTENING = re.compile(r"^hornet-demo listening on (https?)://127\.0\.0\.1:(\d+)$")

    def __init__(self, *flags):
        self._stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen([binary("demo"), "--port", "0", *flags],
                                        stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline().rstrip("\n") if ready else ""
        match = self.LISTENING.match(line)
        if not match:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"hornet-demo: unexpected first line {line!r}")
        self.port = int(match.group(2))
        self.url = f"{match.group(1)}://127.0.0.1:{self.port}"

    def stats(self):
        import json
        import urllib.request
        with urllib.request.urlopen(self.url + "/__demo/stats", timeout=30) as response:
            return json.load(response)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self._stderr.close()


def main():
    """Entry point of every test file: NAME=PATH arguments, then unittest's."""
    args = sys.argv[1:]
    while args and re.match(r"^[a-z]+=", args[0]):
        name, _, path = args.pop(0).partition("=")
        BINARIES[name] = os.path.abspath(path)
    unittest.main(argv=[sys.argv[0], *args])


def run_until_stopped(server, classes, users, *flags, markers=None, grace=0.5, env=None):
    """Runs the feature scenario's `classes` (scenarios/features.cpp) with `users` users against
    `server` until the server has received `markers` (default: one per user) GET /marker/stopped,
    which each user sends from on_stop after its last step; then, after `grace` seconds for the
    last responses to be recorded, stops the run with SIGINT. Returns the finished Hornet (close
    it). The time limit (-t 10m) is only a bound."""
    markers = users if markers is None else markers
    before = server.count(path="/marker/stopped")
    # The classes go first: after --tags or --exclude-tags (nargs="*") they would be tags.
    hornet = Hornet("features", *classes, "-H", server.url, "-u", str(users), "-r", "100",
                    "--headless", "-t", "10m", *flags, env=env)
    try:
        deadline = time.monotonic() + WAIT_TIMEOUT
        while server.count(path="/marker/stopped") < before + markers:
            if not hornet.running() or time.monotonic() > deadline:
                raise AssertionError(
                    f"the users did not all stop: {server.count(path='/marker/stopped') - before} "
                    f"of {markers} markers" + hornet.describe())
            time.sleep(0.05)
        time.sleep(grace)
        hornet.stop(signal.SIGINT)
    except BaseException:
        hornet.close()
        raise
    return hornet
