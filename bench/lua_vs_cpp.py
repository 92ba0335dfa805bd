#!/usr/bin/python3
"""Lua scenarios against C++ ones: requests per CPU-second of the generator for the seed-like
journey (bench/scenarios/seed_like.cpp, compiled by `hornet -f` into a plugin, against
bench/scenarios/seed_like.lua), on the same demo target, and their ratio. The goal: Lua reaches
at least half the C++ rate.

The demo target runs pinned to core 1 with --heavy-delay 0, each generator pinned to core 0 with
one worker thread, one after the other. CPU time is the generator's user + sys (wait4); requests
are the Aggregated count of its stats CSV.

    /usr/bin/python3 bench/lua_vs_cpp.py --hornet build/release/src/hornet \\
        --demo build/release/examples/demo_target/hornet-demo [--duration 10] [--users 50]
"""

import argparse
import csv
import os
import re
import select
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
GOAL = 0.5


def start_demo(demo):
    process = subprocess.Popen(["taskset", "-c", "1", demo, "--port", "0", "--threads", "1",
                                "--heavy-delay", "0"], stdout=subprocess.PIPE, text=True)
    ready, _, _ = select.select([process.stdout], [], [], 30)
    line = process.stdout.readline() if ready else ""
    match = re.search(r"(https?://127\.0\.0\.1:\d+)", line)
    if not match:
        process.kill()
        sys.exit(f"hornet-demo: unexpected first line {line!r}")
    return process, match.group(1)


def run(hornet, scenario, url, users, duration, work_dir):
    """One timed run; returns (requests, failures, cpu seconds)."""
    prefix = Path(work_dir) / Path(scenario).stem
    argv = ["taskset", "-c", "0", hornet, "-f", str(scenario), "-H", url, "-u", str(users),
            "-r", str(users), "-t", f"{int(duration)}s", "--headless", "--only-summary",
            "--threads", "1", "--csv", str(prefix)]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               cwd=work_dir)
    _, status, rusage = os.wait4(process.pid, 0)
    stderr = process.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{argv} failed:\n{stderr[-3000:]}")
    with open(f"{prefix}_stats.csv", newline="") as f:
        total = next(row for row in csv.DictReader(f) if row["Name"] == "Aggregated")
    return (int(total["Request Count"]), int(total["Failure Count"]),
            rusage.ru_utime + rusage.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hornet", required=True)
    parser.add_argument("--demo", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    args.hornet = os.path.abspath(args.hornet)
    args.demo = os.path.abspath(args.demo)

    demo, url = start_demo(args.demo)
    rates = {}
    try:
        with tempfile.TemporaryDirectory(prefix="hornet-lua-bench-") as work_dir:
            cpp = BENCH_DIR / "scenarios" / "seed_like.cpp"
            # Compile the plugin first, so the timed run does not include the compiler.
            run(args.hornet, cpp, url, 1, 1, work_dir)
            for kind, scenario in (("C++", cpp), ("Lua", BENCH_DIR / "scenarios" / "seed_like.lua")):
                requests, failures, cpu = run(args.hornet, scenario, url, args.users,
                                              args.duration, work_dir)
                rates[kind] = requests / cpu if cpu > 0 else 0.0
                print(f"{kind:4} {requests:9d} requests {failures:6d} failures "
                      f"{cpu:7.2f} CPU-s {rates[kind]:10.0f} requests/CPU-s")
    finally:
        demo.terminate()
        demo.wait(30)
    ratio = rates["Lua"] / rates["C++"] if rates.get("C++") else 0.0
    verdict = "meets" if ratio >= GOAL else "misses"
    print(f"Lua / C++ requests per CPU-second: {ratio:.2f} ({verdict} the goal of {GOAL:g})")


if __name__ == "__main__":
    main()
