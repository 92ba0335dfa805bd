#!/usr/bin/python3
"""Hornet against its peers: requests per CPU-second of the generator, and memory per user.

One run starts its own nginx (one worker, pinned to the server core) from bench/nginx/ and runs
each load generator pinned to the generator core for a fixed time:

  (a) plain GET of a small static file, no wait:   wrk (-t1 -c50), Hornet (1 thread, 50 users),
                                                    Locust FastHttpUser (50 users)
  (b) seed-like: log in with a CSRF cookie, then tasks 1:2:2, no wait:
                                                    Hornet, Locust FastHttpUser
  (c) memory: Hornet with 10,000 users each waiting 1 s between GETs: peak and steady RSS

For every run it reports the requests the tool counted, its failures, and the generator's CPU
time (user + sys, all threads), as requests per CPU-second and per wall-second over the whole run
and over a steady-state window (from a few seconds after the load starts to shortly before it
ends, counted by nginx's stub_status and /proc/PID/stat), then the ratios the goals are stated
in. The report is Markdown on stdout; progress goes to stderr. With --write-results the report
is also appended to bench/RESULTS.md.

    /usr/bin/python3 bench/run_peers.py [--duration 15] [--cases a,b,c] [--write-results]

Needs: nginx (nginx-light), taskset, two cores; wrk and python3-locust for their rows; the
bench scenarios built (see bench/README.md). Python standard library only.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime
import http.cookiejar
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
LOCUST_PYTHON = "/usr/bin/python3"  # Debian's python3-locust lives in the system Python

# Goals from issue 2 (and DESIGN.md's "Goals the design must allow").
GOAL_A_VS_WRK = 0.8
GOAL_B_VS_LOCUST = 6.0
GOAL_MEMORY_MB = 100.0

CASE_TITLES = {
    "a": "(a) plain GET, no wait",
    "b": "(b) seed-like: login, cookies, tasks 1:2:2",
    "c": "(c) memory: idle users, 1 s wait",
}
# Case (a) is `hornet URL` (the `hornet` command, no scenario file); (b) and (c) are scenario
# executables built from bench/scenarios/.
SCENARIO_BINARIES = {"a": "src/hornet", "b": "bench/bench_seed_like",
                     "c": "bench/bench_idle_users"}
LOCUSTFILES = {"a": "plain_get.py", "b": "seed_like.py"}
PLAIN_PATH = "/hello.txt"
SEED_TASKS = {"/": 1, "/heavy_url/": 2, "/another_heavy_ajax_url/": 2}


def log(message: str) -> None:
    print(f"[run_peers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A problem that stops the whole benchmark (missing nginx, too few cores...)."""


# --------------------------------------------------------------------------------------------
# Processes: every child is started here, remembered by pid, and stopped by pid.


def _raise_nofile_limit() -> None:
    """preexec_fn: lift the soft open-files limit to the hard one (10,000 users need it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 65536 if hard == resource.RLIM_INFINITY else hard
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class Child:
    """A started process pinned to one core. Reaped with wait4 so its rusage is exact."""

    running: dict[int, "Child"] = {}

    def __init__(self, name: str, argv: list[str], core: int, log_dir: Path, cwd: Path):
        self.name = name
        self.argv = argv
        self.stdout_path = log_dir / f"{name}.stdout"
        self.stderr_path = log_dir / f"{name}.stderr"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                ["taskset", "-c", str(core), *argv],  # taskset execs: same pid as the tool
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=cwd,
                preexec_fn=_raise_nofile_limit,
            )
        self.pid = self.proc.pid
        self.started = time.monotonic()
        self.exit_status: int | None = None
        self.rusage: resource.struct_rusage | None = None
        self.ended: float | None = None
        Child.running[self.pid] = self

    def poll(self) -> bool:
        """True once the process has exited (and has been reaped)."""
        if self.exit_status is not None:
            return True
        pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
        if pid == 0:
            return False
        self._reaped(status, rusage)
        return True

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.poll():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self, sig: int = signal.SIGTERM, grace: float = 10.0) -> None:
        """Signals the process by pid, then kills it (and any child it left) after `grace`."""
        if self.poll():
            return
        descendants = child_pids(self.pid)
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass
        if self.wait(grace):
            return
        log(f"{self.name} (pid {self.pid}) ignored signal {sig}; killing it")
        for pid in [self.pid, *descendants]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.wait(5.0)

    def _reaped(self, status: int, rusage: resource.struct_rusage) -> None:
        self.exit_status = os.waitstatus_to_exitcode(status)
        self.rusage = rusage
        self.ended = time.monotonic()
        self.proc.returncode = self.exit_status  # Popen must not wait for it again
        Child.running.pop(self.pid, None)

    def cpu_seconds_total(self) -> float:
        """User + sys of the whole process (all threads), after it exited."""
        assert self.rusage is not None
        return self.rusage.ru_utime + self.rusage.ru_stime

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    @classmethod
    def stop_all(cls) -> None:
        for child in list(cls.running.values()):
            child.stop(grace=5.0)


def child_pids(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def proc_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a live process, all its threads (the thread group's /proc/PID/stat)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of proc(5)


def proc_memory_kb(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) in KiB from /proc/PID/status, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            values[key] = int(value.split()[0])
    if "VmRSS" not in values:
        return None
    return values["VmRSS"], values.get("VmHWM", values["VmRSS"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# The server.


@dataclasses.dataclass
class ServerCount:
    at: float  # monotonic seconds
    requests: int  # stub_status "requests", this poll included
    active: int  # stub_status "Active connections"


class Nginx:
    def __init__(self, nginx: str, core: int, work_dir: Path):
        self.port = free_port()
        self.status_port = free_port()
        while self.status_port == self.port:
            self.status_port = free_port()
        self.dir = work_dir / "nginx"
        self.dir.mkdir()
        template = (BENCH_DIR / "nginx" / "nginx.conf.in").read_text()
        config = (
            template.replace("@DIR@", str(self.dir))
            .replace("@ROOT@", str(BENCH_DIR / "nginx" / "www"))
            .replace("@PORT@", str(self.port))
            .replace("@STATUS_PORT@", str(self.status_port))
        )
        self.config = self.dir / "nginx.conf"
        self.config.write_text(config)
        argv = [nginx, "-c", str(self.config), "-p", str(self.dir),
                "-e", str(self.dir / "error.log")]
        test = subprocess.run([*argv, "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise BenchError(f"nginx rejects the generated config {self.config}:\n{test.stderr}")
        self.child = Child("nginx", argv, core, work_dir, self.dir)
        self.polls = 0
        deadline = time.monotonic() + 10
        while True:
            try:
                self.count()
                break
            except OSError:
                if self.child.poll() or time.monotonic() > deadline:
                    raise BenchError(
                        f"nginx did not start: {self.child.stderr()}"
                        f"{(self.dir / 'error.log').read_text(errors='replace')}"
                    )
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def count(self) -> ServerCount:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.status_port}/status", timeout=5) as r:
            text = r.read().decode()
        self.polls += 1
        active = int(re.search(r"Active connections:\s*(\d+)", text).group(1))
        accepts, handled, requests = map(int, text.splitlines()[2].split())
        return ServerCount(time.monotonic(), requests, active)

    def check_routes(self) -> None:
        """The routes behave as the scenarios expect (so failures in a run are the tool's)."""
        base = self.url
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        def status(path: str, **kwargs) -> int:
            request = urllib.request.Request(base + path, **kwargs)
            try:
                with opener.open(request, timeout=5) as r:
                    r.read()
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        checks = [
            ("GET /hello.txt", status(PLAIN_PATH), 200),
            ("GET / before login", status("/"), 403),
            ("GET /accounts/login/", status("/accounts/login/"), 200),
        ]
        token = next((c.value for c in jar if c.name == "csrftoken"), "")
        checks += [
            ("POST login, wrong token", status(
                "/accounts/login/", data=b"username=u", headers={"X-CSRFToken": "x"}), 403),
            ("POST login", status(
                "/accounts/login/", data=b"username=username&password=P455w0rd",
                headers={"X-CSRFToken": token}), 200),
            ("GET / after login", status("/"), 200),
            ("GET /heavy_url/", status("/heavy_url/"), 200),
            ("GET ajax without header", status("/another_heavy_ajax_url/"), 400),
            ("GET ajax", status(
                "/another_heavy_ajax_url/", headers={"X-Requested-With": "XMLHttpRequest"}), 200),
        ]
        wrong = [f"{name}: {got}, expected {want}" for name, got, want in checks if got != want]
        if wrong:
            raise BenchError("nginx does not serve the benchmark routes as expected: " +
                             "; ".join(wrong))

    def cpu_seconds(self) -> float | None:
        """User + sys of the master and its worker so far."""
        pids = [self.child.pid, *child_pids(self.child.pid)]
        times = [proc_cpu_seconds(pid) for pid in pids]
        return None if None in times else sum(times)

    def stop(self) -> None:
        self.child.stop(signal.SIGTERM)


# --------------------------------------------------------------------------------------------
# One generator run.


@dataclasses.dataclass
class Run:
    case: str
    tool: str
    requests: int | None = None  # as the tool counted them
    failures: int | None = None
    run_seconds: float | None = None  # the load's duration as the tool ran it
    cpu_seconds: float | None = None  # user + sys, whole process lifetime
    window_requests: int | None = None  # seen by nginx in the steady window
    window_cpu: float | None = None
    window_wall: float | None = None
    window_server_cpu: float | None = None  # nginx's CPU time in the steady window
    startup_seconds: float | None = None  # process start to first load on the server
    mix: str | None = None  # case (b): the task mix as the tool counted it
    users: int | None = None
    repetition: int = 1
    problems: list[str] = dataclasses.field(default_factory=list)
    # Memory case.
    spawn_seconds: float | None = None
    peak_rss_kb: int | None = None
    steady_rss_kb: float | None = None
    baseline_rss_kb: int | None = None  # the same program with a single user
    hold_rate: float | None = None
    hold_cpu_share: float | None = None

    def per_cpu(self) -> float | None:
        return ratio(self.requests, self.cpu_seconds)

    def per_wall(self) -> float | None:
        return ratio(self.requests, self.run_seconds)

    def window_per_cpu(self) -> float | None:
        return ratio(self.window_requests, self.window_cpu)

    def window_per_wall(self) -> float | None:
        return ratio(self.window_requests, self.window_wall)

    def cpu_share(self) -> float | None:
        return ratio(self.window_cpu, self.window_wall)

    def server_cpu_share(self) -> float | None:
        return ratio(self.window_server_cpu, self.window_wall)

    @property
    def valid(self) -> bool:
        return not self.problems and self.requests is not None


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def wait_for_load(nginx: Nginx, child: Child, timeout: float) -> ServerCount | None:
    """Polls the server until requests flow (the generator started); None if it exited first."""
    deadline = time.monotonic() + timeout
    previous = nginx.count()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if child.poll():
            return None
        current = nginx.count()
        if current.requests - previous.requests > 10:
            return current
        previous = current
    return None


def sample_window(nginx: Nginx, child: Child) -> tuple[ServerCount, float | None, float | None]:
    """The server's request count, the generator's CPU time and the server's, at one moment."""
    count = nginx.count()
    return count, proc_cpu_seconds(child.pid), nginx.cpu_seconds()


def measure(args, nginx: Nginx, run: Run, argv: list[str], work_dir: Path, duration: float,
            parse, name: str) -> Child | None:
    """Runs one generator for `duration` s of load, fills `run`, and returns the reaped child.
    `name` names its output files in work_dir."""
    log(f"{CASE_TITLES[run.case]}: {run.tool} for {duration:g} s (repetition {run.repetition})")
    child = Child(name, argv, args.generator_core, work_dir, work_dir)
    try:
        start = wait_for_load(nginx, child, timeout=30)
        if start is None:
            child.stop()
            run.problems.append(f"no load reached the server (exit status {child.exit_status})")
            run.problems.extend(tail_lines(child.stderr(), 5))
            return child
        run.startup_seconds = start.at - child.started
        window_start = start.at + args.warmup
        window_end = start.at + duration - args.cooldown
        if window_end - window_start < 1:
            run.problems.append("steady window under 1 s: raise --duration or lower --warmup")
        else:
            time.sleep(max(0.0, window_start - time.monotonic()))
            first, cpu_first, server_first = sample_window(nginx, child)
            time.sleep(max(0.0, window_end - time.monotonic()))
            last, cpu_last, server_last = sample_window(nginx, child)
            if cpu_first is None or cpu_last is None or child.poll():
                run.problems.append("the generator exited before the steady window ended")
            else:
                run.window_requests = last.requests - first.requests - 1  # the second poll
                run.window_cpu = cpu_last - cpu_first
                run.window_wall = last.at - first.at
                if server_first is not None and server_last is not None:
                    run.window_server_cpu = server_last - server_first
        if not child.wait(duration + args.grace - (time.monotonic() - start.at)):
            run.problems.append(f"did not stop on its own within {args.grace:g} s of its end")
            child.stop()
    finally:
        if not child.poll():
            child.stop()
    run.cpu_seconds = child.cpu_seconds_total()
    try:
        parse(run, child)
    except (OSError, ValueError, KeyError, AttributeError) as e:
        run.problems.append(f"could not read {run.tool}'s results: {e}")
    if run.failures:
        run.problems.append(f"{run.failures} failed requests")
    return child


def tail_lines(text: str, n: int) -> list[str]:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-n:]


def read_stats_csv(prefix: Path) -> dict[str, dict[str, str]]:
    """Rows of a Locust-format {prefix}_stats.csv, by "METHOD name" ("Aggregated" for the total)."""
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            key = "Aggregated" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
            rows[key] = row
    return rows


def parse_stats_csv(prefix: Path, duration: float):
    def parse(run: Run, child: Child) -> None:
        rows = read_stats_csv(prefix)
        total = rows["Aggregated"]
        run.requests = int(total["Request Count"])
        run.failures = int(total["Failure Count"])
        run.run_seconds = duration
        if run.case == "b":
            counts = {path: int(rows.get(f"GET {path}", {}).get("Request Count", 0))
                      for path in SEED_TASKS}
            logins = int(rows.get("POST /accounts/login/", {}).get("Request Count", 0))
            base = counts["/"] or 1
            run.mix = ":".join(f"{counts[p] / base:.2f}" for p in SEED_TASKS) + f", {logins} logins"
            if logins != run.users:
                run.problems.append(f"{logins} logins for {run.users} users")
            for path, weight in SEED_TASKS.items():
                share = counts[path] / max(1, sum(counts.values()))
                if abs(share - weight / 5) > 0.05:
                    run.problems.append(f"task mix off: {path} is {share:.0%} of tasks")
        if child.exit_status not in (0, 1):  # 1: Locust's and Hornet's "some requests failed"
            run.problems.append(f"exit status {child.exit_status}: "
                                + " / ".join(tail_lines(child.stderr(), 3)))
    return parse


def parse_wrk(run: Run, child: Child) -> None:
    out = child.stdout()
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", out)
    if not m:
        raise ValueError("no 'N requests in T' line in wrk's output:\n" + out + child.stderr())
    run.requests = int(m.group(1))
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[m.group(3)]
    run.run_seconds = float(m.group(2)) * scale
    failures = 0
    if e := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        failures += sum(int(x) for x in e.groups())
    if e := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        failures += int(e.group(1))
    run.failures = failures
    if child.exit_status != 0:
        run.problems.append(f"wrk exit status {child.exit_status}")


# --------------------------------------------------------------------------------------------
# The cases.


def hornet_binary(args, case: str) -> Path:
    return Path(args.build_dir) / SCENARIO_BINARIES[case]


def run_throughput_case(args, tools, nginx: Nginx, case: str, work_dir: Path,
                        repetition: int) -> list[Run]:
    """One run of each generator on `case`; odd repetitions go in reverse order, so a machine
    that gets busier or quieter during the benchmark does not favour whoever runs first."""
    d = args.duration
    tag = f"{case}{repetition + 1}"
    order = ["wrk", "hornet", "locust"]
    if repetition % 2:
        order.reverse()
    runs = []
    for tool in order:
        if tool not in tools or (tool == "wrk" and case != "a"):
            continue
        run = Run(case, tool, users=args.users, repetition=repetition + 1)
        prefix = work_dir / f"{tag}_{tool}"
        if tool == "wrk":
            argv = [tools["wrk"], "-t1", f"-c{args.users}", f"-d{d:g}s", nginx.url + PLAIN_PATH]
            parse = parse_wrk
        elif tool == "hornet":
            target = [nginx.url + PLAIN_PATH] if case == "a" else ["-H", nginx.url]
            argv = [str(hornet_binary(args, case)), *target, "-u", str(args.users),
                    "-r", str(max(args.users * 20, 1)), "-t", f"{d:g}s", "--headless",
                    "--only-summary", "--csv", str(prefix), "--threads", "1"]
            parse = parse_stats_csv(prefix, d)
        else:
            argv = [LOCUST_PYTHON, "-m", "locust", "-f",
                    str(BENCH_DIR / "locust" / LOCUSTFILES[case]), "--headless", "-u",
                    str(args.users), "-r", str(args.users), "-t", f"{d:g}s", "-H", nginx.url,
                    "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
            parse = parse_stats_csv(prefix, d)
        measure(args, nginx, run, argv, work_dir, d, parse, f"{tag}_{tool}")
        runs.append(run)
    return runs


@dataclasses.dataclass
class MemorySample:
    at: float  # monotonic seconds
    rss_kb: int
    hwm_kb: int
    cpu: float  # the generator's user + sys so far
    server: ServerCount


def baseline_rss_kb(args, nginx: Nginx, work_dir: Path) -> int | None:
    """VmRSS of the memory case's program running one user, after 3 s: its fixed cost."""
    argv = [str(hornet_binary(args, "c")), "-H", nginx.url, "-u", "1", "-r", "1", "-t", "5s",
            "--headless", "--only-summary", "--threads", "1"]
    child = Child("c_hornet_baseline", argv, args.generator_core, work_dir, work_dir)
    try:
        time.sleep(3)
        memory = proc_memory_kb(child.pid)
        child.wait(2 + args.grace)
    finally:
        child.stop()
    return memory[0] if memory else None


def run_memory_case(args, nginx: Nginx, work_dir: Path) -> Run:
    users = args.memory_users
    run = Run("c", "hornet", users=users)
    log(f"{CASE_TITLES['c']}: hornet with one user, for the fixed cost")
    run.baseline_rss_kb = baseline_rss_kb(args, nginx, work_dir)
    spawn_rate = args.memory_spawn_rate
    total = users / spawn_rate + args.memory_hold
    prefix = work_dir / "c_hornet"
    argv = [str(hornet_binary(args, "c")), "-H", nginx.url, "-u", str(users), "-r",
            str(spawn_rate), "-t", f"{total:.0f}s", "--headless", "--only-summary", "--csv",
            str(prefix), "--threads", "1"]
    log(f"{CASE_TITLES['c']}: hornet, {users} users at {spawn_rate}/s, held {args.memory_hold:g} s")
    child = Child("c_hornet", argv, args.generator_core, work_dir, work_dir)
    samples: list[MemorySample] = []
    try:
        deadline = child.started + total + args.grace
        while not child.poll() and time.monotonic() < deadline:
            server = nginx.count()
            memory = proc_memory_kb(child.pid)
            cpu = proc_cpu_seconds(child.pid)
            if memory and cpu is not None:
                samples.append(MemorySample(time.monotonic(), *memory, cpu, server))
            time.sleep(0.5)
        if not child.poll():
            run.problems.append(f"did not stop on its own within {args.grace:g} s of its end")
    finally:
        if not child.poll():
            child.stop()
    run.cpu_seconds = child.cpu_seconds_total()
    try:
        parse_stats_csv(prefix, total)(run, child)
    except (OSError, ValueError, KeyError) as e:
        run.problems.append(f"could not read hornet's results: {e}")
    if run.failures:
        run.problems.append(f"{run.failures} failed requests")
    if samples:
        run.peak_rss_kb = max(s.hwm_kb for s in samples)
    # Spawned: the server sees every user's connection (plus the status poll's own).
    spawned = next((s for s in samples if s.server.active >= users), None)
    if spawned is None:
        most = max((s.server.active for s in samples), default=0)
        run.problems.append(f"never reached {users} open connections on the server (at most "
                            f"{most - 1})")
        return run
    run.spawn_seconds = spawned.at - child.started
    # The hold: from 3 s after the last user connected to 2 s before the end.
    hold = [s for s in samples if spawned.at + 3 <= s.at <= child.started + total - 2]
    if len(hold) < 2:
        run.problems.append("hold phase too short to measure: raise --memory-hold")
        return run
    run.steady_rss_kb = statistics.median(s.rss_kb for s in hold)
    first, last = hold[0], hold[-1]
    wall = last.at - first.at
    polls = len(hold) - 1  # each sample's stub_status request is counted by the server too
    run.hold_rate = (last.server.requests - first.server.requests - polls) / wall
    run.hold_cpu_share = (last.cpu - first.cpu) / wall
    return run


# --------------------------------------------------------------------------------------------
# Facts and the report.


def command_output(argv: list[str]) -> str:
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_facts(args, tools) -> dict[str, str]:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "kernel": f"{platform.system()} {platform.release()}",
        "cpu": cpu_model or platform.machine(),
        "load average before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    head = command_output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", str(REPO), "status", "--porcelain",
                            "--untracked-files=no"])
    version = ""
    binary = hornet_binary(args, "a")
    if binary.exists():
        version = command_output([str(binary), "--version"]).splitlines()[0:1]
        version = version[0] if version else ""
    changes = ", uncommitted changes" if dirty else ""
    version = version.replace("hornet", "Hornet", 1) if version else "Hornet"
    facts["hornet"] = f"{version} (git {head or '?'}{changes})"
    facts["nginx"] = command_output([tools["nginx"], "-v"]).replace("nginx version: ", "")
    if "wrk" in tools:
        facts["wrk"] = command_output([tools["wrk"], "--version"]).splitlines()[0].split(" [")[0]
    if "locust" in tools:
        # python3-locust 2.12 has an empty __version__; the Debian package version is the truth.
        pkg = command_output(["dpkg-query", "-W", "-f=${Version}", "python3-locust"])
        py = command_output([LOCUST_PYTHON, "--version"])
        facts["locust"] = f"python3-locust {pkg or '?'} (FastHttpUser), {py}"
    return facts


def fmt(value, digits: int = 0, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value:,}{suffix}"


def report(args, facts, runs: list[Run], memory: Run | None, skipped: list[str]) -> str:
    out = []
    out.append(f"## Peer benchmark, {facts['date']}")
    out.append("")
    out.append(f"- Machine: {facts['nproc']} cores, {facts['cpu']}, {facts['kernel']}; load "
               f"average before the run: {facts['load average before']}.")
    out.append(f"- Server: {facts['nginx']}, one worker, on core {args.server_core}. "
               f"Generators on core {args.generator_core}.")
    tools_line = [facts["hornet"]]
    if "wrk" in facts:
        tools_line.append(facts["wrk"])
    if "locust" in facts:
        tools_line.append(facts["locust"])
    out.append("- Tools: " + "; ".join(tools_line) + ".")
    out.append(f"- Runs: {args.duration:g} s each, {args.repeat} per generator and case, "
               f"{args.users} users (wrk: -t1 -c{args.users}; "
               f"Hornet: --threads 1). Steady window: {args.warmup:g} s after the load reached "
               f"the server to {args.cooldown:g} s before its end, counted by nginx.")
    if args.note:
        out.append(f"- Note: {args.note}")
    out.append("")
    if runs:
        out.append("| case | tool | # | requests | failures | req/CPU-s (run) | req/s (run) | "
                   "req/CPU-s (steady) | req/s (steady) | CPU use (steady) | nginx CPU (steady) | "
                   "start-up s |")
        out.append("| --- | --- " + "| ---: " * 10 + "|")
        for r in runs:
            out.append(
                f"| {r.case} | {r.tool} | {r.repetition} | {fmt(r.requests)} | {fmt(r.failures)} | "
                f"{fmt(r.per_cpu())} | {fmt(r.per_wall())} | {fmt(r.window_per_cpu())} | "
                f"{fmt(r.window_per_wall())} | {fmt(pct(r.cpu_share()), 0, '%')} | "
                f"{fmt(pct(r.server_cpu_share()), 0, '%')} | {fmt(r.startup_seconds, 2)} |")
        out.append("")
        mixes = [r for r in runs if r.mix]
        if mixes:
            out.append("Task mix of case (b), `/` : `/heavy_url/` : `/another_heavy_ajax_url/` "
                       "(goal 1:2:2): " + "; ".join(f"{r.tool} {r.mix}" for r in mixes) + ".")
            out.append("")
        if args.repeat > 1:
            out.append(f"Ratios of the medians over the {args.repeat} repetitions.")
            out.append("")
        out.append("| goal | steady window | whole run | met |")
        out.append("| --- | ---: | ---: | --- |")
        for case, peer, goal in (("a", "wrk", GOAL_A_VS_WRK), ("a", "locust", None),
                                 ("b", "locust", GOAL_B_VS_LOCUST)):
            hornet = [r for r in runs if (r.case, r.tool) == (case, "hornet")]
            other = [r for r in runs if (r.case, r.tool) == (case, peer)]
            if not hornet or not other:
                continue
            steady = ratio(median_of(hornet, Run.window_per_cpu),
                           median_of(other, Run.window_per_cpu))
            whole = ratio(median_of(hornet, Run.per_cpu), median_of(other, Run.per_cpu))
            label = f"({case}) Hornet / {'wrk' if peer == 'wrk' else 'Locust FastHttpUser'}"
            if goal is None:
                met = "(no goal)"
            elif not all(r.valid for r in [*hornet, *other]):
                met = "invalid run"
            elif steady is None:
                met = "?"
            else:
                met = "yes" if steady >= goal else "**no**"
            goal_text = f" ≥ {goal:g}" if goal else ""
            out.append(f"| {label}{goal_text}, req/CPU-s | {fmt(steady, 2)} | {fmt(whole, 2)} | "
                       f"{met} |")
        out.append("")
    if memory:
        m = memory
        per_user = None if m.steady_rss_kb is None else m.steady_rss_kb / m.users
        marginal = None
        if m.steady_rss_kb is not None and m.baseline_rss_kb is not None:
            marginal = (m.steady_rss_kb - m.baseline_rss_kb) / (m.users - 1)
        if not m.valid:
            met = "invalid run"
        elif m.steady_rss_kb is None:
            met = "?"
        else:
            peak_mb = max(m.steady_rss_kb, m.peak_rss_kb or 0) / 1024
            met = "yes" if peak_mb <= GOAL_MEMORY_MB else "**no**"
        out.append(f"| case | users | spawned in s | peak RSS (VmHWM) MB | steady RSS MB | "
                   f"1-user RSS MB | KB per user (total / marginal) | req/s held | CPU use held | "
                   f"requests | failures | ≤ {GOAL_MEMORY_MB:g} MB |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                   "| --- |")
        out.append(
            f"| c | {fmt(m.users)} | {fmt(m.spawn_seconds, 1)} | "
            f"{fmt(kb_to_mb(m.peak_rss_kb), 1)} | {fmt(kb_to_mb(m.steady_rss_kb), 1)} | "
            f"{fmt(kb_to_mb(m.baseline_rss_kb), 1)} | {fmt(per_user, 2)} / {fmt(marginal, 2)} | "
            f"{fmt(m.hold_rate)} | {fmt(pct(m.hold_cpu_share), 0, '%')} | "
            f"{fmt(m.requests)} | {fmt(m.failures)} | {met} |")
        out.append("")
    notes = []
    for r in runs:
        share = r.cpu_share()
        if share is not None and share < 0.9:
            server = r.server_cpu_share()
            why = ("nginx was saturated" if server is not None and server > 0.9 else
                   "the machine was busy or the server was slow")
            notes.append(f"({r.case}) {r.tool} #{r.repetition} used {share:.0%} of its core in "
                         f"the steady window ({why}): its req/CPU-s was measured below full load.")
    if notes:
        out.append("Notes:")
        out.extend(f"- {n}" for n in notes)
        out.append("")
    problems = [(r, p) for r in [*runs, *([memory] if memory else [])] for p in r.problems]
    if problems or skipped:
        out.append("Problems and skipped runs (a run with failures is not a valid measurement):")
        for r, p in problems:
            out.append(f"- ({r.case}) {r.tool}: {p}")
        for s in skipped:
            out.append(f"- skipped: {s}")
    else:
        out.append("Every run completed with 0 failed requests.")
    out.append("")
    return "\n".join(out)


def median_of(runs: list[Run], figure) -> float | None:
    values = [v for v in (figure(r) for r in runs) if v is not None]
    return statistics.median(values) if values else None


def pct(x: float | None) -> float | None:
    return None if x is None else 100.0 * x


def kb_to_mb(kb) -> float | None:
    return None if kb is None else kb / 1024.0


# --------------------------------------------------------------------------------------------


def find_tools(args, cases: set[str], wanted: set[str], skipped: list[str]) -> dict[str, str]:
    tools = {}
    nginx = shutil.which("nginx")
    if not nginx and Path("/usr/sbin/nginx").exists():
        nginx = "/usr/sbin/nginx"
    if not nginx:
        raise BenchError("nginx not found: install it with `apt-get install nginx-light` "
                         "(the script runs its own instance; the system service is not used)")
    tools["nginx"] = nginx
    if not shutil.which("taskset"):
        raise BenchError("taskset not found: install util-linux")
    if "wrk" in wanted and "a" in cases:
        if w := shutil.which("wrk"):
            tools["wrk"] = w
        else:
            skipped.append("wrk not found (`apt-get install wrk`): no wrk row, no Hornet/wrk ratio")
    if "locust" in wanted and cases & {"a", "b"}:
        check = subprocess.run([LOCUST_PYTHON, "-c", "import locust.contrib.fasthttp"],
                               capture_output=True, text=True)
        if check.returncode == 0:
            tools["locust"] = LOCUST_PYTHON
        else:
            skipped.append(f"Locust not importable by {LOCUST_PYTHON} (`apt-get install "
                           f"python3-locust`): no Locust rows. {tail_lines(check.stderr, 1)}")
    if "hornet" in wanted:
        missing = [str(hornet_binary(args, c)) for c in sorted(cases)
                   if not hornet_binary(args, c).exists()]
        if missing:
            skipped.append(
                "Hornet's bench scenarios are not built (" + ", ".join(missing) + "): run `cmake "
                f"-S {REPO} -B {args.build_dir} -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake "
                f"--build {args.build_dir} -j2 --target hornet hornet_bench_scenarios`")
        else:
            tools["hornet"] = str(hornet_binary(args, "a"))
    return tools


def add_run_arguments(p, *, duration, memory_hold, tools, build_dir, build_help):
    """The options every peer benchmark shares (this one and python_peers.py)."""
    p.add_argument("--duration", type=float, default=duration, help="seconds of load per run")
    p.add_argument("--users", type=int, default=50, help="users (wrk connections) in (a) and (b)")
    p.add_argument("--warmup", type=float, default=3,
                   help="seconds after the load starts before the steady window opens")
    p.add_argument("--cooldown", type=float, default=1.5,
                   help="seconds before the load's end at which the steady window closes")
    p.add_argument("--grace", type=float, default=30,
                   help="seconds a tool may take past its run time to write results and exit")
    p.add_argument("--memory-users", type=int, default=10000, help="users in case (c)")
    p.add_argument("--memory-spawn-rate", type=int, default=5000, help="users/s in case (c)")
    p.add_argument("--memory-hold", type=float, default=memory_hold,
                   help="seconds case (c) runs after spawning")
    p.add_argument("--cases", default="a,b,c", help="which cases to run")
    p.add_argument("--tools", default=",".join(tools), help="which generators to run")
    p.add_argument("--build-dir", default=str(build_dir), help=build_help)
    p.add_argument("--server-core", type=int, default=0)
    p.add_argument("--generator-core", type=int, default=1)
    p.add_argument("--note", default="", help="a line added to the report (e.g. 'quiet machine')")
    p.add_argument("--keep-temp", action="store_true",
                   help="keep the temporary directory (nginx config, tools' outputs and CSVs)")
    p.add_argument("--write-results", action="store_true",
                   help="append the report to bench/RESULTS.md")


def check_cases_and_tools(p, args, cases, tools):
    """Sets args.case_set and args.tool_set, or exits with argparse's error."""
    args.case_set = {c.strip() for c in args.cases.split(",") if c.strip()}
    args.tool_set = {t.strip() for t in args.tools.split(",") if t.strip()}
    if not args.case_set <= set(cases):
        p.error(f"--cases: unknown case in {args.cases!r} ({', '.join(cases)})")
    if not args.tool_set <= set(tools):
        p.error(f"--tools: unknown tool in {args.tools!r} ({', '.join(tools)})")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--repeat", type=int, default=1,
                   help="runs of each generator per case; the ratios use the medians")
    add_run_arguments(p, duration=15, memory_hold=20, tools=("hornet", "wrk", "locust"),
                      build_dir=REPO / "build" / "bench",
                      build_help="the CMake build directory holding bench/bench_* scenarios")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    check_cases_and_tools(p, args, CASE_TITLES, ("hornet", "wrk", "locust"))
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    cores = os.sched_getaffinity(0)
    if args.server_core not in cores or args.generator_core not in cores or \
            args.server_core == args.generator_core:
        print(f"run_peers: needs two distinct usable cores for --server-core and "
              f"--generator-core; this process may use {sorted(cores)}", file=sys.stderr)
        return 2
    skipped: list[str] = []
    try:
        tools = find_tools(args, args.case_set, args.tool_set, skipped)
    except BenchError as e:
        print(f"run_peers: {e}", file=sys.stderr)
        return 2
    for s in skipped:
        log(f"skipping: {s}")
    facts = machine_facts(args, tools)
    work_dir = Path(tempfile.mkdtemp(prefix="hornet-bench-"))
    runs: list[Run] = []
    memory = None
    nginx = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        nginx = Nginx(tools["nginx"], args.server_core, work_dir)
        nginx.check_routes()
        log(f"nginx (pid {nginx.child.pid}) on {nginx.url}, core {args.server_core}; "
            f"outputs in {work_dir}")
        for repetition in range(args.repeat):
            for case in ("a", "b"):
                if case in args.case_set:
                    runs += run_throughput_case(args, tools, nginx, case, work_dir, repetition)
        if "c" in args.case_set and "hornet" in tools:
            memory = run_memory_case(args, nginx, work_dir)
    except BenchError as e:
        print(f"run_peers: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("run_peers: interrupted", file=sys.stderr)
        return 130
    finally:
        Child.stop_all()
        if nginx and nginx.child.exit_status not in (0, None):
            log(f"nginx exited with status {nginx.child.exit_status}")
        if args.keep_temp:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    text = report(args, facts, runs, memory, skipped)
    print(text)
    if args.write_results:
        results = BENCH_DIR / "RESULTS.md"
        header = "" if results.exists() else (
            "# Benchmark results\n\nAppended by `bench/run_peers.py --write-results`; "
            "see bench/README.md for what each case measures.\n\n")
        with open(results, "a") as f:
            f.write(header + text + "\n")
        log(f"appended to {results}")
    measured = [*runs, *([memory] if memory else [])]
    if not measured:
        return 2
    return 1 if any(not r.valid for r in measured) else 0


if __name__ == "__main__":
    sys.exit(main())
