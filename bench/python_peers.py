#!/usr/bin/python3
"""The same Python locustfile on Locust and on Hornet: requests per CPU-second, and memory.

`hornet -f locustfile.py` runs Locust 2.12 locustfiles on Hornet's engine (embedded CPython, users
as greenlets, one worker thread per process). This script runs each locustfile unchanged, with the
same command line, under Debian's python3-locust (`/usr/bin/python3 -m locust`) and under Hornet
(`build/release/src/hornet`), each as one process pinned to the generator core, against an nginx
pinned to the server core (bench/nginx, started and stopped by bench/run_peers.py's helpers):

  (a) plain GET, FastHttpUser, constant(0), 50 users:        bench/locust/plain_get.py
  (b) the seed's TaskSet (login on_start, tasks 1:2:2) on HttpUser, constant(0), 50 users:
                                                              examples/seed_2x.py
  (c) memory: 10,000 FastHttpUsers GETting a static file every second: bench/python/idle_users.py

Cases (a) and (b) run in rounds (Locust, Hornet, Locust, Hornet... for at least 6 rounds); each
round's ratio is Hornet's requests per CPU-second over Locust's in that round, over the steady
window (requests counted by nginx, CPU time of the generator process from /proc/PID/stat), and the
report gives the median, min and max of the ratios. Before each round it records the load average
and `uptime`; for each run it also measures the CPU the rest of the machine used meanwhile
(/proc/stat minus the generator, nginx and this script), so a busy machine shows. Case (c) reports
the peak (VmHWM) and steady resident size of each generator, with one user for the fixed cost.

    /usr/bin/python3 bench/python_peers.py [--rounds 6] [--duration 10] [--write-results]

Needs what run_peers.py needs (nginx, taskset, two cores), python3-locust, and Hornet built
(`cd build/release && ninja hornet`). Hornet's rows are skipped, and said so, while its locust
package lacks the HTTP clients (locust/clients.py, locust/contrib/fasthttp.py). Python standard
library only; every process started is stopped by its pid.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Shared with the peer benchmark (same directory): processes, nginx, one measured run, CSV parsing.
from run_peers import (
    LOCUST_PYTHON,
    BenchError,
    Child,
    add_run_arguments,
    check_cases_and_tools,
    Nginx,
    Run,
    child_pids,
    command_output,
    fmt,
    kb_to_mb,
    machine_facts,
    measure,
    parse_stats_csv,
    pct,
    proc_cpu_seconds,
    proc_memory_kb,
    ratio,
    tail_lines,
)

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
LOCUSTFILES = {
    "a": BENCH_DIR / "locust" / "plain_get.py",
    "b": REPO / "examples" / "seed_2x.py",
    "c": BENCH_DIR / "python" / "idle_users.py",
}
CASE_TITLES = {
    "a": "(a) plain GET, FastHttpUser, no wait",
    "b": "(b) seed TaskSet on HttpUser: login, tasks 1:2:2, no wait",
    "c": "(c) memory: Python users waiting 1 s",
}
# Hornet's locust package needs these for HttpUser / FastHttpUser.
HORNET_CLIENT_FILES = ["src/python/package/locust/clients.py",
                       "src/python/package/locust/contrib/fasthttp.py"]
GOAL_RATIO = 5.0  # Hornet ≥ 5 × Locust in requests per CPU-second, (a) and (b)
GOAL_MEMORY_MB = 250.0  # Hornet's peak RSS with 10,000 Python users
TOOLS = ("locust", "hornet")  # the order within a round


def log(message: str) -> None:
    print(f"[python_peers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The rest of the machine: CPU used by everything but the generator, nginx and this script.


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent outside idle and iowait since boot (/proc/stat, no steal)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@dataclasses.dataclass
class Others:
    """Snapshot for "the rest of the machine" over one run."""
    at: float
    busy: float
    own: float
    server: float | None

    @classmethod
    def now(cls, nginx: Nginx) -> "Others":
        return cls(time.monotonic(), machine_busy_seconds(), own_cpu_seconds(), nginx.cpu_seconds())

    def cores_since(self, start: "Others", generator_cpu: float | None) -> float | None:
        """Average cores used by other processes between `start` and this snapshot."""
        if generator_cpu is None or self.server is None or start.server is None:
            return None
        wall = self.at - start.at
        other = ((self.busy - start.busy) - generator_cpu - (self.server - start.server)
                 - (self.own - start.own))
        return max(0.0, other) / wall if wall > 0 else None


# --------------------------------------------------------------------------------------------
# Cases (a) and (b): one run of one tool.


def generator_argv(args, tool: str, case: str, users: int, spawn_rate: int, seconds: float,
                   url: str, csv_prefix: Path | None) -> list[str]:
    """The same Locust command line for both tools; only the program differs."""
    program = ([LOCUST_PYTHON, "-m", "locust"] if tool == "locust"
               else [str(Path(args.build_dir) / "src" / "hornet")])
    argv = [*program, "-f", str(LOCUSTFILES[case]), "--headless", "-u", str(users), "-r",
            str(spawn_rate), "-t", f"{seconds:g}s", "-H", url, "--only-summary",
            "--loglevel", "WARNING"]
    if csv_prefix is not None:
        argv += ["--csv", str(csv_prefix)]
    return argv


@dataclasses.dataclass
class Round:
    number: int
    loadavg: str
    uptime: str
    runs: list[Run] = dataclasses.field(default_factory=list)
    others: dict[tuple[str, str], float | None] = dataclasses.field(default_factory=dict)


def run_one(args, nginx: Nginx, case: str, tool: str, rnd: Round, work_dir: Path) -> Run:
    run = Run(case, tool, users=args.users, repetition=rnd.number)
    name = f"{case}{rnd.number}_{tool}"
    prefix = work_dir / name
    argv = generator_argv(args, tool, case, args.users, args.users, args.duration, nginx.url,
                          prefix)
    before = Others.now(nginx)
    measure(args, nginx, run, argv, work_dir, args.duration, parse_stats_csv(prefix, args.duration),
            name)
    rnd.others[(case, tool)] = Others.now(nginx).cores_since(before, run.cpu_seconds)
    return run


# --------------------------------------------------------------------------------------------
# Case (c): memory.


@dataclasses.dataclass
class Memory:
    tool: str
    users: int
    run: Run
    loadavg: str = ""
    baseline_rss_kb: int | None = None  # the same locustfile with one user
    peak_rss_kb: int | None = None  # VmHWM
    steady_rss_kb: float | None = None  # median VmRSS once every user is connected
    spawn_seconds: float | None = None  # start to `users` connections open at the server
    hold_rate: float | None = None  # requests/s the server saw while every user was up
    hold_cpu_share: float | None = None
    max_connections: int = 0


def baseline_rss_kb(args, nginx: Nginx, tool: str, work_dir: Path) -> int | None:
    """VmRSS of the locustfile with one user after 4 s (start-up done): the fixed cost."""
    argv = generator_argv(args, tool, "c", 1, 1, 6, nginx.url, None)
    child = Child(f"c_{tool}_baseline", argv, args.generator_core, work_dir, work_dir)
    try:
        time.sleep(4)
        memory = proc_memory_kb(child.pid)
        child.wait(2 + args.grace)
    finally:
        child.stop()
    return memory[0] if memory else None


def run_memory(args, nginx: Nginx, tool: str, work_dir: Path) -> Memory:
    users = args.memory_users
    run = Run("c", tool, users=users)
    m = Memory(tool, users, run, loadavg=" ".join(f"{x:.2f}" for x in os.getloadavg()))
    log(f"{CASE_TITLES['c']}: {tool} with one user, for the fixed cost")
    m.baseline_rss_kb = baseline_rss_kb(args, nginx, tool, work_dir)
    total = users / args.memory_spawn_rate + args.memory_hold
    prefix = work_dir / f"c_{tool}"
    argv = generator_argv(args, tool, "c", users, args.memory_spawn_rate, round(total), nginx.url,
                          prefix)
    log(f"{CASE_TITLES['c']}: {tool}, {users} users at {args.memory_spawn_rate}/s, "
        f"{round(total)} s")
    child = Child(f"c_{tool}", argv, args.generator_core, work_dir, work_dir)
    samples = []  # (at, rss, hwm, cpu, server count)
    try:
        deadline = child.started + total + args.grace
        while not child.poll() and time.monotonic() < deadline:
            server = nginx.count()
            memory = proc_memory_kb(child.pid)
            cpu = proc_cpu_seconds(child.pid)
            if memory and cpu is not None:
                samples.append((time.monotonic(), *memory, cpu, server))
            if child_pids(child.pid):
                run.problems.append("the generator started child processes (their memory is "
                                    "not counted)")
            time.sleep(0.5)
        if not child.poll():
            run.problems.append(f"did not stop on its own within {args.grace:g} s of its end")
    finally:
        if not child.poll():
            child.stop()
    run.problems = list(dict.fromkeys(run.problems))
    run.cpu_seconds = child.cpu_seconds_total()
    try:
        parse_stats_csv(prefix, total)(run, child)
    except (OSError, ValueError, KeyError) as e:
        run.problems.append(f"could not read {tool}'s results: {e}")
        run.problems.extend(tail_lines(child.stderr(), 3))
    if run.failures:
        run.problems.append(f"{run.failures} failed requests")
    if samples:
        m.peak_rss_kb = max(s[2] for s in samples)
        m.max_connections = max(s[4].active for s in samples) - 1  # minus the status poll
    spawned = next((s for s in samples if s[4].active - 1 >= users), None)
    end = child.started + total
    if spawned is None:
        run.problems.append(f"never had {users} connections open at the server (at most "
                            f"{m.max_connections}): the memory is that of fewer users")
        # Still report the resident size over the last part of the run.
        hold = [s for s in samples if end - args.memory_hold / 2 <= s[0] <= end - 2]
    else:
        m.spawn_seconds = spawned[0] - child.started
        hold = [s for s in samples if spawned[0] + 3 <= s[0] <= end - 2]
    if len(hold) >= 2:
        m.steady_rss_kb = statistics.median(s[1] for s in hold)
        first, last = hold[0], hold[-1]
        wall = last[0] - first[0]
        m.hold_rate = (last[4].requests - first[4].requests - (len(hold) - 1)) / wall
        m.hold_cpu_share = (last[3] - first[3]) / wall
    else:
        run.problems.append("hold phase too short to measure: raise --memory-hold")
    return m


# --------------------------------------------------------------------------------------------
# The report.


def stats(values: list[float]) -> tuple[float, float, float] | None:
    return (statistics.median(values), min(values), max(values)) if values else None


def fmt_stats(s, digits=2) -> str:
    if s is None:
        return "–"
    return f"{fmt(s[0], digits)} ({fmt(s[1], digits)} – {fmt(s[2], digits)})"


def round_ratios(rounds: list[Round], case: str, figure) -> list[float]:
    out = []
    for rnd in rounds:
        by_tool = {r.tool: r for r in rnd.runs if r.case == case}
        if "hornet" in by_tool and "locust" in by_tool:
            value = ratio(figure(by_tool["hornet"]), figure(by_tool["locust"]))
            if value is not None:
                out.append(value)
    return out


def report(args, facts, rounds: list[Round], memory: list[Memory], skipped: list[str]) -> str:
    out = [f"## Python locustfiles, Hornet against Locust, {facts['date']}", ""]
    out.append(f"- Machine: {facts['nproc']} cores, {facts['cpu']}, {facts['kernel']}; load "
               f"average before the run: {facts['load average before']}.")
    out.append(f"- Server: {facts['nginx']}, one worker, on core {args.server_core}. "
               f"Generators (one process each) on core {args.generator_core}.")
    out.append(f"- Tools: {facts['hornet']}, `hornet -f`, {args.build_type} build; "
               f"{facts['locust_py']}, `python3 -m locust`. The same locustfile and command line "
               f"for both.")
    if rounds:
        out.append(f"- Rounds: {len(rounds)} × (Locust, Hornet) per case, {args.duration:g} s each, "
                   f"{args.users} users. Steady window: {args.warmup:g} s after the load reached "
                   f"the server to {args.cooldown:g} s before its end, requests counted by nginx, "
                   f"CPU time of the generator process (utime + stime, /proc/PID/stat).")
    if args.note:
        out.append(f"- Note: {args.note}")
    out.append("")
    busy = [v for rnd in rounds for v in rnd.others.values() if v is not None]
    loads = [float(rnd.loadavg.split()[0]) for rnd in rounds]
    if rounds:
        quiet = max(busy, default=0) < args.busy_threshold and max(loads, default=0) < 1.5
        out.append(f"Machine during the rounds: load average (1 min) before a round "
                   f"{min(loads):.2f}–{max(loads):.2f}; other processes used "
                   f"{min(busy, default=0):.2f}–{max(busy, default=0):.2f} cores during the runs. "
                   + ("Quiet enough: the figures are representative." if quiet else
                      "**Busy machine: the figures are indicative only** (other work competed "
                      "with the generator and nginx for the two cores)."))
        out.append("")
        out.append("| round | `uptime` before | case | tool | requests | failures | "
                   "req/CPU-s (run) | req/CPU-s (steady) | req/s (steady) | CPU use (steady) | "
                   "nginx CPU (steady) | others, cores | start-up s |")
        out.append("| ---: | --- | --- | --- " + "| ---: " * 9 + "|")
        for rnd in rounds:
            for i, r in enumerate(rnd.runs):
                up = f"`{rnd.uptime}`" if i == 0 else ""
                out.append(
                    f"| {rnd.number if i == 0 else ''} | {up} | {r.case} | {r.tool} | "
                    f"{fmt(r.requests)} | {fmt(r.failures)} | {fmt(r.per_cpu())} | "
                    f"{fmt(r.window_per_cpu())} | {fmt(r.window_per_wall())} | "
                    f"{fmt(pct(r.cpu_share()), 0, '%')} | "
                    f"{fmt(pct(r.server_cpu_share()), 0, '%')} | "
                    f"{fmt(rnd.others.get((r.case, r.tool)), 2)} | {fmt(r.startup_seconds, 2)} |")
        out.append("")
        mixes = [f"{r.tool} #{r.repetition} {r.mix}" for rnd in rounds for r in rnd.runs if r.mix]
        if mixes:
            out.append("Task mix of case (b), `/` : `/heavy_url/` : `/another_heavy_ajax_url/` "
                       "(goal 1:2:2): " + "; ".join(mixes) + ".")
            out.append("")
        out.append(f"Hornet / Locust, requests per CPU-second, per round: median (min – max).")
        out.append("")
        out.append("| case | rounds | steady window | whole run | Hornet req/CPU-s (steady) | "
                   f"Locust req/CPU-s (steady) | ≥ {GOAL_RATIO:g} × |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for case in ("a", "b"):
            steady = round_ratios(rounds, case, Run.window_per_cpu)
            whole = round_ratios(rounds, case, Run.per_cpu)
            runs = [r for rnd in rounds for r in rnd.runs if r.case == case]
            if not runs:
                continue
            per_tool = {t: stats([v for r in runs if r.tool == t
                                  if (v := r.window_per_cpu()) is not None]) for t in TOOLS}
            if not steady:
                met = "not measured"
            elif not all(r.valid for r in runs):
                met = "invalid run"
            else:
                met = "yes" if statistics.median(steady) >= GOAL_RATIO else "**no**"
            out.append(f"| {CASE_TITLES[case]} | {len(steady)} | {fmt_stats(stats(steady))} | "
                       f"{fmt_stats(stats(whole))} | {fmt_stats(per_tool['hornet'], 0)} | "
                       f"{fmt_stats(per_tool['locust'], 0)} | {met} |")
        out.append("")
    if memory:
        out.append(f"Case (c): {args.memory_users:,} users spawned at {args.memory_spawn_rate:,}/s,"
                   f" held {args.memory_hold:g} s (bench/python/idle_users.py). Steady RSS: median"
                   f" VmRSS from 3 s after every user's connection was open to 2 s before the end.")
        out.append("")
        out.append("| tool | load avg before | connections reached | spawned in s | "
                   "peak RSS (VmHWM) MB | steady RSS MB | 1-user RSS MB | "
                   "KB per user (marginal) | req/s held | CPU use held | requests | failures | "
                   f"≤ {GOAL_MEMORY_MB:g} MB |")
        out.append("| --- | --- " + "| ---: " * 10 + "| --- |")
        for m in memory:
            marginal = None
            if m.steady_rss_kb is not None and m.baseline_rss_kb is not None:
                marginal = (m.steady_rss_kb - m.baseline_rss_kb) / (m.users - 1)
            if m.tool != "hornet":
                met = "(reference)"
            elif m.peak_rss_kb is None:
                met = "?"
            else:
                met = "yes" if m.peak_rss_kb / 1024 <= GOAL_MEMORY_MB else "**no**"
                if not m.run.valid:
                    met += " (invalid run)"
            out.append(
                f"| {m.tool} | {m.loadavg} | {fmt(m.max_connections)} | "
                f"{fmt(m.spawn_seconds, 1)} | {fmt(kb_to_mb(m.peak_rss_kb), 1)} | "
                f"{fmt(kb_to_mb(m.steady_rss_kb), 1)} | {fmt(kb_to_mb(m.baseline_rss_kb), 1)} | "
                f"{fmt(marginal, 2)} | {fmt(m.hold_rate)} | "
                f"{fmt(pct(m.hold_cpu_share), 0, '%')} | {fmt(m.run.requests)} | "
                f"{fmt(m.run.failures)} | {met} |")
        out.append("")
    notes = []
    for rnd in rounds:
        for r in rnd.runs:
            share = r.cpu_share()
            if share is not None and share < 0.9:
                server = r.server_cpu_share()
                why = ("nginx was saturated" if server is not None and server > 0.9 else
                       "the machine was busy or the server was slow")
                notes.append(f"({r.case}) {r.tool} round {r.repetition} used {share:.0%} of its "
                             f"core in the steady window ({why}): it did not saturate its core.")
    for m in memory:
        if m.hold_rate is not None and m.hold_rate < 0.9 * m.users:
            notes.append(f"(c) {m.tool} held {m.hold_rate:,.0f} req/s, well under the "
                         f"{m.users:,}/s its users ask for (CPU use {m.hold_cpu_share:.0%}): its "
                         f"users queued for the generator (CPU-bound, or starved of its core "
                         f"on a busy machine) and waited more than 1 s between requests.")
    if notes:
        out.append("Notes:")
        out.extend(f"- {n}" for n in notes)
        out.append("")
    problems = [(r, p) for rnd in rounds for r in rnd.runs for p in r.problems]
    problems += [(m.run, p) for m in memory for p in m.run.problems]
    if problems or skipped:
        out.append("Problems and skipped runs (a run with failures is not a valid measurement):")
        for r, p in problems:
            where = f" round {r.repetition}" if r.case != "c" else ""
            out.append(f"- ({r.case}) {r.tool}{where}: {p}")
        for s in skipped:
            out.append(f"- skipped: {s}")
    else:
        out.append("Every run completed with 0 failed requests.")
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------


def find_tools(args, skipped: list[str]) -> set[str]:
    tools = set()
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        raise BenchError("nginx not found: `apt-get install nginx-light`")
    if not shutil.which("taskset"):
        raise BenchError("taskset not found: install util-linux")
    if "locust" in args.tool_set:
        check = subprocess.run([LOCUST_PYTHON, "-c", "import locust.contrib.fasthttp"],
                               capture_output=True, text=True)
        if check.returncode == 0:
            tools.add("locust")
        else:
            skipped.append(f"Locust not importable by {LOCUST_PYTHON}: no Locust rows. "
                           + " ".join(tail_lines(check.stderr, 1)))
    if "hornet" in args.tool_set:
        binary = Path(args.build_dir) / "src" / "hornet"
        missing = [f for f in HORNET_CLIENT_FILES if not (REPO / f).exists()]
        if not binary.exists():
            skipped.append(f"{binary} not built (`cd {args.build_dir} && ninja hornet`): "
                           f"no Hornet rows")
        elif missing:
            skipped.append("Hornet's locust package has no HTTP clients yet (" + ", ".join(missing)
                           + " missing): HttpUser and FastHttpUser files cannot run, no Hornet "
                           "rows")
        else:
            tools.add("hornet")
    return tools


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--rounds", type=int, default=6, help="rounds of (Locust, Hornet) per case")
    p.add_argument("--busy-threshold", type=float, default=0.15,
                   help="cores used by other processes above which a run is 'busy'")
    add_run_arguments(p, duration=10, memory_hold=15, tools=tuple(TOOLS),
                      build_dir=REPO / "build" / "release",
                      build_help="the CMake build directory holding src/hornet")
    args = p.parse_args(argv)
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    check_cases_and_tools(p, args, CASE_TITLES, tuple(TOOLS))
    return args


def build_type(build_dir: str) -> str:
    try:
        for line in (Path(build_dir) / "CMakeCache.txt").read_text().splitlines():
            if line.startswith("CMAKE_BUILD_TYPE:"):
                return line.split("=", 1)[1] or "?"
    except OSError:
        pass
    return "?"


def main(argv=None) -> int:
    args = parse_args(argv)
    cores = os.sched_getaffinity(0)
    if args.server_core not in cores or args.generator_core not in cores or \
            args.server_core == args.generator_core:
        print(f"python_peers: needs two distinct usable cores; this process may use "
              f"{sorted(cores)}", file=sys.stderr)
        return 2
    skipped: list[str] = []
    try:
        tools = find_tools(args, skipped)
    except BenchError as e:
        print(f"python_peers: {e}", file=sys.stderr)
        return 2
    for s in skipped:
        log(f"skipping: {s}")
    if not tools:
        print("python_peers: neither generator can run", file=sys.stderr)
        return 2
    args.build_type = build_type(args.build_dir)
    # run_peers' facts: machine, Hornet's version and git state, nginx (its `case a` binary is
    # build_dir/src/hornet, the one this script runs).
    facts = machine_facts(argparse.Namespace(build_dir=args.build_dir), {
        "nginx": shutil.which("nginx") or "/usr/sbin/nginx"})
    # python3-locust 2.12 has an empty __version__: the Debian package version is the truth.
    pkg = command_output(["dpkg-query", "-W", "-f=${Version}", "python3-locust"])
    facts["locust_py"] = (f"python3-locust {pkg or '?'} (`locust.__version__` is "
                          f"{command_output([LOCUST_PYTHON, '-c', 'import locust; print(repr(locust.__version__))']) or '?'}), "
                          f"{command_output([LOCUST_PYTHON, '--version'])}")
    work_dir = Path(tempfile.mkdtemp(prefix="hornet-pybench-"))
    rounds: list[Round] = []
    memory: list[Memory] = []
    nginx = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        nginx = Nginx(shutil.which("nginx") or "/usr/sbin/nginx", args.server_core, work_dir)
        nginx.check_routes()
        log(f"nginx (pid {nginx.child.pid}) on {nginx.url}, core {args.server_core}; "
            f"outputs in {work_dir}; tools: {', '.join(t for t in TOOLS if t in tools)}")
        throughput = [c for c in ("a", "b") if c in args.case_set]
        for number in range(1, args.rounds + 1 if throughput else 1):
            rnd = Round(number, " ".join(f"{x:.2f}" for x in os.getloadavg()),
                        command_output(["uptime"]))
            log(f"round {number}/{args.rounds}: {rnd.uptime}")
            for case in throughput:
                for tool in TOOLS:
                    if tool in tools:
                        log(f"{CASE_TITLES[case]}: {tool}")
                        rnd.runs.append(run_one(args, nginx, case, tool, rnd, work_dir))
            rounds.append(rnd)
        if "c" in args.case_set:
            for tool in ("hornet", "locust"):
                if tool in tools:
                    memory.append(run_memory(args, nginx, tool, work_dir))
    except BenchError as e:
        print(f"python_peers: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("python_peers: interrupted", file=sys.stderr)
        return 130
    finally:
        Child.stop_all()
        if args.keep_temp:
            log(f"kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    text = report(args, facts, rounds, memory, skipped)
    print(text)
    if args.write_results:
        results = BENCH_DIR / "RESULTS.md"
        with open(results, "a") as f:
            f.write(text + "\n")
        log(f"appended to {results}")
    measured = [r for rnd in rounds for r in rnd.runs] + [m.run for m in memory]
    return 1 if any(not r.valid for r in measured) else 0


if __name__ == "__main__":
    sys.exit(main())
