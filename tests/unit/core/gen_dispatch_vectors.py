#!/usr/bin/python3
"""Prints the test vectors of dispatch_test.cpp, produced by Locust 2.12's own UsersDispatcher.

Run with Debian's interpreter (python3-locust 2.12 installed), under a timeout, since Locust's
dispatcher can hang:

    timeout 60 /usr/bin/python3 tests/unit/core/gen_dispatch_vectors.py > /tmp/vectors.inc

Waits are not slept: gevent.sleep is replaced by a recorder and time.perf_counter by a constant,
so every iteration "takes" 0 s and the recorded sleep is Locust's full wait between iterations.

For the scenarios on which Locust hangs (a fixed_count class already complete when a ramp-up
follows a ramp-down), FixedDispatcher is Locust's dispatcher with the smallest possible fix: a
fixed class that is already complete counts as spawned. It is checked against the unmodified
dispatcher on every scenario where the latter terminates.
"""
import itertools
import sys
import time
from typing import Optional, Set

import gevent

from locust import User
from locust.dispatch import UsersDispatcher
from locust.runners import WorkerNode
from roundrobin import smooth

SLEEPS = []
gevent.sleep = lambda seconds=0: SLEEPS.append(seconds)
time.perf_counter = lambda: 0.0


class FixedDispatcher(UsersDispatcher):
    def _user_gen(self):
        def infinite_cycle_gen(users):
            if not users:
                return itertools.cycle([None])
            normalized = [(u.__name__, round(2 * v / min(x[1] for x in users))) for u, v in users]
            gen = smooth(normalized)
            return itertools.cycle(gen() for _ in range(sum(n for _, n in normalized)))

        fixed_users = {u.__name__: u for u in self._user_classes if u.fixed_count}
        cycle_fixed_gen = infinite_cycle_gen([(u, u.fixed_count) for u in fixed_users.values()])
        cycle_weighted_gen = infinite_cycle_gen(
            [(u, u.weight) for u in self._user_classes if not u.fixed_count]
        )
        while True:
            if self._try_dispatch_fixed:
                self._try_dispatch_fixed = False
                current = {u: self._get_user_current_count(u) for u in fixed_users}
                spawned: Set[str] = set()
                while len(spawned) != len(fixed_users):
                    name: Optional[str] = next(cycle_fixed_gen)
                    if not name:
                        break
                    if current[name] < fixed_users[name].fixed_count:
                        current[name] += 1
                        if current[name] == fixed_users[name].fixed_count:
                            spawned.add(name)
                        yield name
                        if self._try_dispatch_fixed:
                            current = {u: self._get_user_current_count(u) for u in fixed_users}
                            spawned.clear()
                            self._try_dispatch_fixed = False
                    else:
                        spawned.add(name)  # the fix: already complete
            yield next(cycle_weighted_gen)


def user_class(name, weight=1, fixed_count=0):
    return type(name, (User,), {"weight": weight, "fixed_count": fixed_count, "tasks": []})


def fmt_counts(users_on_workers):
    parts = []
    for worker in sorted(users_on_workers):
        counts = users_on_workers[worker]
        parts.append(worker + "{" + ",".join(f"{c}:{counts[c]}" for c in sorted(counts)) + "}")
    return " ".join(parts)


def run(dispatcher_class, workers, classes, steps):
    """Returns, per step, the list of (iteration text, sleep after it or None)."""
    nodes = {w: WorkerNode(w) for w in workers}
    d = dispatcher_class([nodes[w] for w in workers], classes)
    out = []
    last = None  # the record whose following sleep the next next() call reveals

    def pull():
        nonlocal last
        SLEEPS.clear()
        try:
            value = next(d)
        except StopIteration:
            value = None
        if last is not None:
            last[1] = sum(SLEEPS)
        if value is None:
            last = None
            return None
        last = [fmt_counts(value), None]
        return last

    for step in steps:
        kind = step[0]
        records = []
        if kind == "dispatch":
            _, target, rate, take = step
            last = None
            d.new_dispatch(target, rate)
            while take is None or len(records) < take:
                r = pull()
                if r is None:
                    break
                records.append(r)
        elif kind == "next":
            _, take = step
            while take is None or len(records) < take:
                r = pull()
                if r is None:
                    break
                records.append(r)
        elif kind == "add":
            nodes[step[1]] = WorkerNode(step[1])
            d.add_worker(nodes[step[1]])
            last = None  # the sleep after the previous iteration depended on this event
        elif kind == "remove":
            d.remove_worker(nodes[step[1]])
            last = None
        out.append(records)
    return out


def c_double(x):
    return repr(float(x))


SCENARIOS = [
    # Reference §3.7: weights 3:1 on hostB_1, hostA_2, hostA_1.
    ("ReferenceExampleWeights3To1", ["hostB_1", "hostA_2", "hostA_1"],
     [("A", 3, 0), ("B", 1, 0)],
     [("dispatch", 8, 3, None), ("dispatch", 8, 3, None), ("dispatch", 2, 2.5, None),
      ("dispatch", 0, 100, None)], False),
    ("RampUpAtSeveralRatesThenLifoRampDown", ["hostA_1", "hostA_2", "hostB_1"],
     [("A", 5, 0), ("B", 1, 0), ("C", 2, 0)],
     [("dispatch", 10, 2.5, None), ("dispatch", 17, 0.5, None), ("dispatch", 30, 100, None),
      ("dispatch", 12, 7, None), ("dispatch", 5, 1.5, None)], False),
    ("FixedCountsMixedWithWeights", ["a_1", "b_1"],
     [("F1", 1, 2), ("F2", 1, 1), ("W1", 3, 0), ("W2", 1, 0)],
     [("dispatch", 9, 4, None), ("dispatch", 1, 10, None), ("dispatch", 12, 3, None),
      ("dispatch", 0, 5, None), ("dispatch", 2, 1, None)], False),
    ("OnlyFixedCountsStopAtTheirSum", ["a_1", "b_1"],
     [("F1", 1, 2), ("F2", 1, 3)],
     [("dispatch", 10, 2, None), ("dispatch", 10, 2, None), ("dispatch", 3, 1, None),
      ("dispatch", 10, 5, None)], False),
    ("FloatWeightsNormalisedToMinimumTwo", ["a_1", "a_2"],
     [("A", 1.5, 0), ("B", 2, 0), ("C", 2.4, 0)],
     [("dispatch", 13, 5, None), ("dispatch", 20, 20, None)], False),
    ("WeightsRoundedHalfToEven", ["local_0000"],
     [("A", 4, 0), ("B", 5, 0), ("C", 7, 0)],
     [("dispatch", 16, 16, None)], False),
    ("WorkersAddedAndRemovedMidCycle", ["h1_1", "h2_1"],
     [("A", 2, 0), ("B", 1, 0), ("F", 1, 1)],
     [("dispatch", 10, 3, 2), ("add", "h1_2"), ("next", 2), ("remove", "h2_1"), ("next", None),
      ("add", "h3_1"), ("dispatch", 10, 3, None), ("dispatch", 4, 2, None),
      ("remove", "h1_1"), ("dispatch", 4, 2, None), ("dispatch", 7, 2, None),
      ("add", "h4_1"), ("dispatch", 9, 2, None)], False),
    # Locust hangs on these: expected values come from FixedDispatcher.
    ("CompleteFixedClassThenRampDownAndUp", ["a_1", "b_1"],
     [("F", 1, 1), ("W", 1, 0)],
     [("dispatch", 5, 10, None), ("dispatch", 3, 10, None), ("dispatch", 5, 10, None)], True),
    ("OneFixedClassCompleteOtherNot", ["a_1", "b_1", "c_1"],
     [("F1", 1, 1), ("F2", 1, 2), ("W", 1, 0)],
     [("dispatch", 6, 10, None), ("dispatch", 2, 10, None), ("dispatch", 6, 2, None)], True),
]


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "vectors"
    if mode == "hang":
        # Shows that Locust itself does not finish a hanging scenario (run under timeout).
        name = sys.argv[2]
        for n, workers, classes, steps, _ in SCENARIOS:
            if n == name:
                run(UsersDispatcher, workers, [user_class(*c) for c in classes], steps)
                print("finished")
        return
    print("// Generated by gen_dispatch_vectors.py from Locust 2.12's UsersDispatcher.")
    for name, workers, classes, steps, hangs in SCENARIOS:
        fixed = run(FixedDispatcher, workers, [user_class(*c) for c in classes], steps)
        if not hangs:
            locust = run(UsersDispatcher, workers, [user_class(*c) for c in classes], steps)
            assert locust == fixed, name
        print("    {\"%s\"," % name)
        print("     {" + ", ".join(f'"{w}"' for w in workers) + "},")
        print("     {" + ", ".join(f'{{"{n}", {c_double(w)}, {f}}}' for n, w, f in classes) + "},")
        print("     {")
        for step, records in zip(steps, fixed):
            kind = step[0]
            if kind == "dispatch":
                take = "kToTheEnd" if step[3] is None else step[3]
                head = f"dispatch({step[1]}, {c_double(step[2])}, {take})"
            elif kind == "next":
                head = f"next_iterations({'kToTheEnd' if step[1] is None else step[1]})"
            elif kind == "add":
                head = f'add_worker("{step[1]}")'
            else:
                head = f'remove_worker("{step[1]}")'
            print(f"         {head}", end="")
            for text, sleep in records:
                wait = "kUnknown" if sleep is None else c_double(sleep)
                print(f'\n             .then("{text}", {wait})', end="")
            print(",")
        print("     }},")
    print("// smooth_weighted_sequence: roundrobin.smooth over weights, then the picks.")
    for weights, length in [([3, 1], 8), ([5, 1], 12), ([2, 5, 6], 13), ([1, 1, 1], 6),
                            ([4, 2, 3, 1], 20), ([7], 3), ([2, 4], 12), ([6, 6, 1], 13)]:
        gen = smooth([(i, w) for i, w in enumerate(weights)])
        seq = [gen() for _ in range(length)]
        print("    {{" + ", ".join(map(str, weights)) + "}, {" + ", ".join(map(str, seq)) + "}},")


if __name__ == "__main__":
    main()
