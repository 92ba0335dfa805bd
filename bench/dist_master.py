#!/usr/bin/python3
"""A distributed master under 50 workers: Hornet's master against Locust's, both driving the same
Hornet workers.

For each master (Hornet's `--master`, Debian's python3-locust `--master`) the script starts the
demo target, the master with its web UI, and 50 Hornet worker processes (`--threads 1`, the Lua
user of bench/scenarios/dist_user.lua: one cheap GET every 25-75 ms per user), then:

  (a) starts 100 users at 100/s through the web UI (POST /swarm) and, once they all run, samples
      the master process's CPU time (utime + stime of /proc/PID/stat, all threads) over a steady
      window: CPU seconds per second of run, i.e. the share of one core the master needs to keep
      50 workers (50 heartbeats/s, 50 stats reports every 3 s);
  (b) sends GET /stop to the web UI and measures how long the stop takes to reach every worker,
      seen from the target: the demo target's request counter is polled every 10 ms, and the
      figure is the time from the /stop request to the last poll at which the counter still
      grew (the last request of the last worker to stop). Repeated --stops times (a new swarm
      between), median reported. For Hornet's master it also shows when its /stats/requests
      first lists every worker as ready or stopped (Locust memoizes that endpoint for 2 s, so the
      same poll would say nothing about it).

The workers are Hornet's in both runs (Locust's master accepts them: they send version
"2.12.1"); only the master differs. The report is Markdown on stdout, progress on stderr;
--write-results appends it to bench/RESULTS.md. Every process started is stopped by its pid.

    /usr/bin/python3 bench/dist_master.py [--build-dir build/bench] [--workers 50] [--write-results]

Needs: the build's src/hornet and examples/demo_target/hornet-demo, and python3-locust for the
Locust row (skipped, and said so, without it). Python standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

# Shared with the peer benchmark (same directory).
from run_peers import command_output, free_port, proc_cpu_seconds

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
LOCUST_PYTHON = "/usr/bin/python3"  # Debian's python3-locust lives in the system Python
SCENARIO_LUA = BENCH_DIR / "scenarios" / "dist_user.lua"
LOCUSTFILE = BENCH_DIR / "locust" / "dist_user.py"
COUNTED_ROUTE = ("/accounts/login/", "GET", "200")  # what dist_user.lua requests
POLL = 0.010  # seconds between polls of the target's counter (and of Hornet's worker states)
QUIET = 1.0   # seconds without a new request after which the workers are taken as stopped


def log(message: str) -> None:
    print(f"[dist_master {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A problem that ends the run of one master (a process that did not start, a timeout)."""


class Child:
    """A started process, its output in files; stopped by pid, killed if it does not exit."""

    running: dict[int, "Child"] = {}

    def __init__(self, name: str, argv: list[str], log_dir: Path, cwd: Path,
                 stdout=None):
        self.name = name
        self.argv = argv
        self.stderr_path = log_dir / f"{name}.stderr"
        self.stdout_path = log_dir / f"{name}.stdout"
        with open(self.stderr_path, "wb") as err:
            out = stdout if stdout is not None else open(self.stdout_path, "wb")
            try:
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                             stderr=err, cwd=cwd)
            finally:
                if stdout is None:
                    out.close()
        self.pid = self.proc.pid
        Child.running[self.pid] = self

    def poll(self) -> int | None:
        code = self.proc.poll()
        if code is not None:
            Child.running.pop(self.pid, None)
        return code

    def wait(self, timeout: float) -> int | None:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        Child.running.pop(self.pid, None)
        return code

    def stop(self, sig: int = signal.SIGTERM, grace: float = 10.0) -> int | None:
        if self.poll() is not None:
            return self.proc.returncode
        try:
            self.proc.send_signal(sig)
        except ProcessLookupError:
            pass
        code = self.wait(grace)
        if code is None:
            log(f"{self.name} (pid {self.pid}) ignored signal {sig}; killing it")
            self.proc.kill()
            code = self.wait(10.0)
        return code

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    @classmethod
    def stop_all(cls) -> None:
        children = list(cls.running.values())
        for child in children:  # signal all first: 50 workers stop in parallel
            if child.poll() is None:
                try:
                    child.proc.send_signal(signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for child in children:
            child.stop(grace=5.0)


def proc_run_seconds(pid: int) -> float | None:
    """The scheduler's run time of every thread of a live process (/proc/PID/task/*/schedstat,
    nanoseconds): the same CPU time as utime + stime, without the 10 ms tick's granularity."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        return None
    return total / 1e9


def proc_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def get_json(url: str, timeout: float = 10.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def wait_for(predicate, timeout: float, what: str, poll: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except OSError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise BenchError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)


# --------------------------------------------------------------------------------------------
# The target.


class Demo:
    """hornet-demo on 127.0.0.1, port 0, one thread, no artificial delays."""

    def __init__(self, binary: Path, work_dir: Path):
        out_path = work_dir / "demo.stdout"
        with open(out_path, "wb") as out:
            self.child = Child("demo", [str(binary), "--port", "0", "--threads", "1",
                                        "--heavy-delay", "0"], work_dir, work_dir, stdout=out)
        line = wait_for(lambda: out_path.read_text().partition("\n")[0]
                        if out_path.read_text().endswith("\n") else None, 30, "hornet-demo")
        prefix = "hornet-demo listening on "
        if not line.startswith(prefix):
            raise BenchError(f"hornet-demo: unexpected first line {line!r}")
        self.url = line[len(prefix):]

    def sample(self) -> tuple[int, int]:
        """(requests served on the counted route, connections open, this poll's own included)."""
        stats = get_json(self.url + "/__demo/stats")
        route, method, status = COUNTED_ROUTE
        count = stats["routes"].get(route, {}).get(method, {}).get(status, 0)
        return count, stats["connections"]["open"]

    def count(self) -> int:
        return self.sample()[0]


class CounterPoller(threading.Thread):
    """Polls the target every POLL seconds: (monotonic time, requests, open connections)."""

    def __init__(self, demo: Demo):
        super().__init__(daemon=True)
        self.demo = demo
        self.samples: list[tuple[float, int, int]] = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            try:
                count, open_connections = self.demo.sample()
            except OSError:
                count = None
            if count is not None:
                self.samples.append((time.monotonic(), count, open_connections))
            time.sleep(POLL)

    def quiet_since(self) -> float | None:
        """The time of the first sample with the final count, once it has not changed for QUIET
        seconds; None while it still changes."""
        if not self.samples:
            return None
        last_time, last_count, _ = self.samples[-1]
        first = last_time
        for at, count, _ in reversed(self.samples):
            if count != last_count:
                break
            first = at
        return first if last_time - first >= QUIET else None

    def closed_at(self, after: float) -> float | None:
        """The first sample after `after` at which only the poll's own connection was open: every
        user's keep-alive connection closed, i.e. every worker stopped its users."""
        return next((at for at, _, open_connections in self.samples
                     if at > after and open_connections <= 1), None)


# --------------------------------------------------------------------------------------------
# One master with its workers.


class Master:
    def __init__(self, kind: str, args, demo: Demo, work_dir: Path):
        self.kind = kind
        self.web_port = free_port()
        self.master_port = free_port()
        self.web = f"http://127.0.0.1:{self.web_port}"
        common = ["--master", "--master-bind-host", "127.0.0.1",
                  "--master-bind-port", str(self.master_port), "--web-host", "127.0.0.1",
                  "--web-port", str(self.web_port), "-H", demo.url]
        if kind == "hornet":
            argv = [str(args.hornet), "-f", str(SCENARIO_LUA), *common]
        else:
            argv = [LOCUST_PYTHON, "-m", "locust", "-f", str(LOCUSTFILE), *common]
        self.child = Child(f"{kind}-master", argv, work_dir, work_dir)
        wait_for(lambda: self.stats_requests(), 60, f"the {kind} master's web UI")
        self.workers = [
            Child(f"{kind}-worker-{i}",
                  [str(args.hornet), "-f", str(SCENARIO_LUA), "--worker", "--master-host",
                   "127.0.0.1", "--master-port", str(self.master_port), "--threads", "1",
                   "--master-timeout", "20"], work_dir, work_dir)
            for i in range(args.workers)]

    def stats_requests(self):
        if self.child.poll() is not None:
            raise BenchError(f"the {self.kind} master exited with {self.child.proc.returncode}: "
                             f"{self.child.stderr()[-2000:]}")
        return get_json(self.web + "/stats/requests")

    def ready_workers(self) -> int:
        workers = self.stats_requests().get("workers") or []
        return sum(1 for w in workers if w.get("state") == "ready")

    def user_count(self) -> int:
        return self.stats_requests().get("user_count") or 0

    def swarm(self, users: int, rate: float, host: str) -> None:
        body = urllib.parse.urlencode({"user_count": users, "spawn_rate": rate,
                                       "host": host}).encode()
        with urllib.request.urlopen(self.web + "/swarm", data=body, timeout=30) as response:
            answer = json.load(response)
        if not answer.get("success"):
            raise BenchError(f"/swarm on the {self.kind} master: {answer}")

    def stop_request(self) -> None:
        # Locust's /stop answers only once the workers reported 0 users (up to 60 s).
        with urllib.request.urlopen(self.web + "/stop", timeout=90) as response:
            response.read()


class WorkerStatePoller(threading.Thread):
    """Hornet's master only: when /stats/requests first lists no worker as spawning/running."""

    def __init__(self, master: Master, timeout: float = 30.0):
        super().__init__(daemon=True)
        self.master = master
        self.timeout = timeout
        self.done_at: float | None = None

    def run(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                workers = self.master.stats_requests().get("workers") or []
            except (OSError, BenchError):
                workers = []
            at = time.monotonic()
            if workers and all(w.get("state") in ("ready", "stopped") for w in workers):
                self.done_at = at
                return
            time.sleep(POLL)


def wait_for_load(demo: Demo, seconds: float = 0.5) -> float:
    """Waits until the target receives requests; returns the rate over `seconds`."""
    def growing():
        before = demo.count()
        time.sleep(seconds)
        return (demo.count() - before) / seconds or None
    return wait_for(growing, 30, "requests at the target", poll=0)


def run_master(kind: str, args, demo: Demo, work_dir: Path) -> dict:
    result = {"kind": kind, "stops": [], "closed": [], "master_view": [], "problems": []}
    started = time.monotonic()
    master = Master(kind, args, demo, work_dir)
    try:
        wait_for(lambda: master.ready_workers() >= args.workers, 90,
                 f"{args.workers} workers at the {kind} master")
        result["join_s"] = time.monotonic() - started
        log(f"{kind}: {args.workers} workers ready after {result['join_s']:.1f} s")

        # (a) the master's CPU while 100 users run on 50 workers.
        master.swarm(args.users, args.spawn_rate, demo.url)
        wait_for(lambda: master.user_count() >= args.users, 60, f"{args.users} users")
        time.sleep(args.settle)
        pid = master.child.pid
        count0 = demo.count()
        cpu0, run0, t0 = proc_cpu_seconds(pid), proc_run_seconds(pid), time.monotonic()
        time.sleep(args.window)
        cpu1, run1, t1 = proc_cpu_seconds(pid), proc_run_seconds(pid), time.monotonic()
        count1 = demo.count()
        if cpu0 is None or cpu1 is None:
            raise BenchError(f"the {kind} master is gone")
        result["cpu_per_s"] = (cpu1 - cpu0) / (t1 - t0)
        result["run_per_s"] = (run1 - run0) / (t1 - t0) if run0 is not None and run1 else None
        result["rps"] = (count1 - count0) / (t1 - t0)
        result["rss_mb"] = proc_rss_mb(master.child.pid)
        result["window_s"] = t1 - t0
        log(f"{kind}: master CPU {result['cpu_per_s']:.4f} s/s (stat), "
            f"{result['run_per_s'] or 0:.4f} s/s (schedstat) over {t1 - t0:.1f} s, "
            f"{result['rps']:.0f} req/s at the target")

        # (b) stop propagation, --stops times.
        for repetition in range(args.stops):
            if repetition > 0:
                wait_for(lambda: master.ready_workers() >= args.workers, 30,
                         "every worker ready again")
                master.swarm(args.users, args.spawn_rate, demo.url)
                wait_for(lambda: master.user_count() >= args.users, 60, f"{args.users} users")
                time.sleep(1.0)
            wait_for_load(demo)
            poller = CounterPoller(demo)
            poller.start()
            states = WorkerStatePoller(master) if kind == "hornet" else None
            time.sleep(0.2)  # samples before the stop
            sent = time.monotonic()
            if states:
                states.start()
            master.stop_request()
            answered = time.monotonic()
            try:
                quiet = wait_for(poller.quiet_since, 30, "the target to stop receiving requests",
                                 poll=0.05)
            finally:
                poller.halt.set()
                poller.join(5)
            result["stops"].append(quiet - sent)
            closed = poller.closed_at(sent)
            if closed is not None:
                result["closed"].append(closed - sent)
            else:
                result["problems"].append(f"{kind}: stop #{repetition + 1}: user connections "
                                          f"still open after the stop")
            line = (f"{kind}: stop #{repetition + 1}: last request {1000 * (quiet - sent):.0f} ms "
                    f"after /stop, every user connection closed after "
                    f"{'?' if closed is None else f'{1000 * (closed - sent):.0f}'} ms "
                    f"(/stop answered in {1000 * (answered - sent):.0f} ms)")
            if states:
                states.join(35)
                if states.done_at is not None:
                    result["master_view"].append(states.done_at - sent)
                    line += f"; every worker ready/stopped at the master after " \
                            f"{1000 * (states.done_at - sent):.0f} ms"
            log(line)
    finally:
        # Quit: SIGINT to the master, which sends `quit` to every worker.
        code = master.child.stop(signal.SIGINT, grace=20)
        codes = [w.wait(20) for w in master.workers]
        for w, c in zip(master.workers, codes):
            if c is None:
                w.stop(signal.SIGTERM, grace=5)
        result["master_exit"] = code
        result["workers_exit_0"] = sum(1 for c in codes if c == 0)
        if code != 0:
            result["problems"].append(f"{kind} master exited with {code}")
        if result["workers_exit_0"] != len(codes):
            others = sorted({str(c) for c in codes if c != 0})
            result["problems"].append(
                f"{kind}: {len(codes) - result['workers_exit_0']} of {len(codes)} workers did "
                f"not exit 0 after the master quit (exit codes: {', '.join(others)})")
    return result


# --------------------------------------------------------------------------------------------
# Report.


def machine_facts(args) -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    head = command_output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", str(REPO), "status", "--porcelain",
                            "--untracked-files=no"])
    version = command_output([str(args.hornet), "--version"]).splitlines()[:1]
    build_type = ""
    cache = Path(args.build_dir) / "CMakeCache.txt"
    if cache.exists():
        for line in cache.read_text(errors="replace").splitlines():
            if line.startswith("CMAKE_BUILD_TYPE:"):
                build_type = line.split("=", 1)[1]
    facts = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "hornet": f"{(version[0] if version else 'hornet').replace('hornet', 'Hornet', 1)} "
                  f"(git {head or '?'}{', uncommitted changes' if dirty else ''}"
                  f"{', ' + build_type + ' build' if build_type else ''})",
        "locust": "python3-locust " + (command_output(
            ["dpkg-query", "-W", "-f=${Version}", "python3-locust"]) or "?"),
    }
    return facts


def fmt_ms(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{1000 * statistics.median(values):.0f} ({', '.join(f'{1000 * v:.0f}' for v in values)})"


def report(args, facts, results: list[dict], skipped: list[str]) -> str:
    lines = [f"## Distributed master benchmark, {facts['date']}", ""]
    lines.append(f"- Machine: {facts['machine']}; load average before the run: {facts['load']}.")
    lines.append(f"- Hornet: {facts['hornet']}; {facts['locust']}.")
    lines.append(f"- Setup: one master (Hornet's or Locust's, web UI) and {args.workers} Hornet "
                 f"worker processes (`--threads 1`, bench/scenarios/dist_user.lua: one GET every "
                 f"25-75 ms per user) on this machine, {args.users} users at {args.spawn_rate:g}/s, "
                 f"hornet-demo (one thread) as the target; nothing pinned.")
    lines.append(f"- Master CPU: the master process's CPU seconds per second of run over a "
                 f"{args.window:g} s window, {args.settle:g} s after every user ran: utime + "
                 f"stime from /proc/PID/stat (10 ms ticks) and the scheduler's run time from "
                 f"/proc/PID/task/*/schedstat (ns), all threads.")
    lines.append(f"- Stop, {args.stops} times (a new swarm between), median (each run) in ms "
                 f"from GET /stop: to the last request the target received, and to the moment "
                 f"the target had no user connection left open (every worker stopped its users); "
                 f"the target polled every {POLL * 1000:.0f} ms. For Hornet's master also to "
                 f"the moment its /stats/requests listed every worker ready or stopped.")
    if args.note:
        lines.append(f"- Note: {args.note}")
    lines.append("")
    lines.append("| master | workers joined in s | master CPU s/s (stat) | master CPU s/s "
                 "(schedstat) | master RSS MB | target req/s | stop → last request ms "
                 "| stop → no user connection ms | stop → all workers ready at the master ms "
                 "| workers exit 0 after quit |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: |")
    for r in results:
        lines.append(
            f"| {r['kind']} | {r.get('join_s', 0):.1f} | "
            f"{r['cpu_per_s']:.4f} | {r['run_per_s'] or 0:.4f} | {r['rss_mb'] or 0:.1f} | "
            f"{r['rps']:,.0f} | {fmt_ms(r['stops'])} | {fmt_ms(r['closed'])} | "
            f"{fmt_ms(r['master_view']) if r['kind'] == 'hornet' else 'n/a (memoized 2 s)'} | "
            f"{r['workers_exit_0']}/{args.workers} |"
            if "cpu_per_s" in r else
            f"| {r['kind']} | – | – | – | – | – | – | – | – | "
            f"{r.get('workers_exit_0', 0)}/{args.workers} |")
    by_kind = {r["kind"]: r for r in results}
    h, lo = by_kind.get("hornet"), by_kind.get("locust")
    if h and lo and "cpu_per_s" in h and "cpu_per_s" in lo and h["stops"] and lo["stops"]:
        lines.append("")
        lines.append("| Hornet / Locust | ratio |")
        lines.append("| --- | ---: |")
        def ratio(a, b):
            return f"{a / b:.3f}" if a is not None and b else "–"
        def med(values):
            return statistics.median(values) if values else None
        lines.append(f"| master CPU seconds per second (stat) | "
                     f"{ratio(h['cpu_per_s'], lo['cpu_per_s'])} |")
        lines.append(f"| master CPU seconds per second (schedstat) | "
                     f"{ratio(h['run_per_s'], lo['run_per_s'])} |")
        lines.append(f"| stop → last request (medians) | "
                     f"{ratio(med(h['stops']), med(lo['stops']))} |")
        lines.append(f"| stop → no user connection (medians) | "
                     f"{ratio(med(h['closed']), med(lo['closed']))} |")
    problems = [p for r in results for p in r["problems"]] + skipped
    if problems:
        lines.append("")
        lines.append("Problems:")
        lines += [f"- {p}" for p in problems]
    return "\n".join(lines) + "\n"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build-dir", default=str(REPO / "build" / "bench"),
                   help="the CMake build directory holding src/hornet and the demo target")
    p.add_argument("--workers", type=int, default=50)
    p.add_argument("--users", type=int, default=100)
    p.add_argument("--spawn-rate", type=float, default=100)
    p.add_argument("--settle", type=float, default=3, help="seconds after spawning before (a)")
    p.add_argument("--window", type=float, default=10, help="seconds of (a)'s CPU window")
    p.add_argument("--stops", type=int, default=3, help="repetitions of (b)")
    p.add_argument("--masters", default="hornet,locust", help="which masters to run")
    p.add_argument("--note", default="", help="a line added to the report")
    p.add_argument("--keep-temp", action="store_true", help="keep every process's output")
    p.add_argument("--write-results", action="store_true",
                   help="append the report to bench/RESULTS.md")
    args = p.parse_args(argv)
    build = Path(args.build_dir).resolve()
    args.hornet = build / "src" / "hornet"
    args.demo = build / "examples" / "demo_target" / "hornet-demo"
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    for binary in (args.hornet, args.demo):
        if not binary.exists():
            print(f"dist_master: {binary} not found (build first, or give --build-dir)",
                  file=sys.stderr)
            return 2
    masters = [m.strip() for m in args.masters.split(",") if m.strip()]
    skipped = []
    if "locust" in masters and subprocess.run(
            [LOCUST_PYTHON, "-c", "import locust"], capture_output=True, timeout=60).returncode:
        masters.remove("locust")
        skipped.append("Locust's master skipped: python3-locust is not installed")
    facts = machine_facts(args)
    work_dir = Path(tempfile.mkdtemp(prefix="hornet-dist-bench-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = []
    try:
        for kind in masters:
            demo = Demo(args.demo, work_dir)
            try:
                results.append(run_master(kind, args, demo, work_dir))
            except BenchError as e:
                log(f"{kind}: {e}")
                results.append({"kind": kind, "stops": [], "closed": [], "master_view": [],
                                "problems": [f"{kind}: {e}"]})
            finally:
                demo.child.stop(signal.SIGTERM)
                Child.stop_all()
    except KeyboardInterrupt:
        print("dist_master: interrupted", file=sys.stderr)
        return 130
    finally:
        Child.stop_all()
        if args.keep_temp:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    text = report(args, facts, results, skipped)
    print(text)
    if args.write_results:
        results_md = BENCH_DIR / "RESULTS.md"
        with open(results_md, "a") as f:
            f.write("\n" + text)
        log(f"appended to {results_md}")
    return 0 if all("cpu_per_s" in r and not r["problems"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
