#!/usr/bin/env python3
"""How long `hornet -f examples/seed.cpp` takes to start: from a cold plugin cache (compiling
the scenario) and from a warm one (loading the cached plugin), against two peers in the same
run: the compiler on an empty C++ file (the floor any compile pays) and Locust loading its
seed locustfile (`locust -f ... -l`, what a Locust user waits for).

    python3 bench/compile_scenario.py [--build-dir build/bench] [--repeat 5]

Each figure is the median of --repeat runs, wall time and CPU time (user + sys of the process
and its children). Prints a Markdown table; nothing is asserted.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_CPP = REPO / "examples" / "seed.cpp"
SEED_PY = REPO / "bench" / "locust" / "seed_like.py"
LOCUST_PYTHON = "/usr/bin/python3"  # Debian's python3-locust


def timed(argv, env=None):
    """(wall seconds, CPU seconds of the children) of one run of argv; raises on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_of(repeat, make_run):
    walls, cpus = [], []
    for i in range(repeat):
        wall, cpu = make_run(i)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=str(REPO / "build" / "bench"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    hornet = Path(args.build_dir) / "src" / "hornet"
    if not hornet.exists():
        sys.exit(f"{hornet} is not built: cmake --build {args.build_dir} --target hornet")

    rows = []
    with tempfile.TemporaryDirectory(prefix="hornet-compile-bench-") as work:
        work = Path(work)

        def hornet_run(cache):
            env = dict(os.environ, XDG_CACHE_HOME=str(cache))
            return timed([str(hornet), "-f", str(SEED_CPP), "-l"], env)

        rows.append(("hornet -f seed.cpp, cold cache (compiles)",
                     median_of(args.repeat, lambda i: hornet_run(work / f"cold{i}"))))
        hornet_run(work / "warm")  # fills the cache
        rows.append(("hornet -f seed.cpp, warm cache",
                     median_of(args.repeat, lambda i: hornet_run(work / "warm"))))

        empty = work / "empty.cpp"
        empty.write_text("int main() { return 0; }\n")
        rows.append(("peer: g++ -std=c++20 -O2 on an empty file",
                     median_of(args.repeat, lambda i: timed(
                         ["g++", "-std=c++20", "-O2", str(empty), "-o", str(work / "empty")]))))
        try:
            rows.append(("peer: locust -f seed_like.py -l",
                         median_of(args.repeat, lambda i: timed(
                             [LOCUST_PYTHON, "-m", "locust", "-f", str(SEED_PY), "-l"]))))
        except (RuntimeError, FileNotFoundError) as error:
            print(f"(no Locust row: {error})", file=sys.stderr)

    print(f"| start-up (median of {args.repeat}) | wall s | CPU s |")
    print("| --- | ---: | ---: |")
    for name, (wall, cpu) in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    cold = rows[0][1][0]
    for name, (wall, _) in rows[1:]:
        print(f"\ncold compile / ({name}): {cold / wall:.1f}x wall", end="")
    print()


if __name__ == "__main__":
    main()
