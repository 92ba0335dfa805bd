#!/usr/bin/env python3
"""The seed scenario (examples/seed.cpp) against the demo target (examples/demo_target): every
user logs in with Django's CSRF dance, nothing fails, Hornet's counts are exactly what the demo
target served, and the task mix is 1:2:2.

    python3 test_seed.py seed=PATH demo=PATH [-v]
"""

import math
import unittest

import itest

USERS = 300  # many users with the seed's 1 s wait: thousands of tasks in a few seconds
RUN_TIME = "8s"
WEIGHTS = {"/": 1, "/heavy_url/": 2, "/another_heavy_ajax_url/": 2}
MIN_TASKS = 600  # enough for the 1:2:2 check to mean something
Z_LIMIT = 5.0  # standard deviations: a false alarm about once in a million runs


class SeedAgainstDemoTarget(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.demo = itest.DemoTarget("--threads", "1")
        cls.before = cls.demo.stats()
        # --stop-timeout: at the time limit, users finish the task they are in (a clean stop), so
        # every request the demo target answered is also in Hornet's statistics.
        cls.hornet = itest.run("seed", "-H", cls.demo.url, "-u", str(USERS), "-r", str(USERS),
                               "-t", RUN_TIME, "-s", "10", "--headless")
        cls.after = cls.demo.stats()

    @classmethod
    def tearDownClass(cls):
        cls.hornet.close()
        cls.demo.stop()

    def served(self, route, method, status):
        """How many responses the demo target served during the run."""
        def count(stats):
            return stats["routes"].get(route, {}).get(method, {}).get(str(status), 0)
        return count(self.after) - count(self.before)

    def test_exit_code_zero_and_no_failures(self):
        self.assertEqual(self.hornet.code, 0, self.hornet.describe())
        self.assertEqual(self.hornet.failures(), {})
        self.assertEqual(self.hornet.exceptions(), [])
        aggregated = self.hornet.stats()[("", "Aggregated")]
        self.assertEqual(aggregated["Failure Count"], "0")

    def test_every_user_logged_in_with_a_valid_csrf_token(self):
        delta = {key: self.after[key] - self.before[key]
                 for key in ("logins_succeeded", "csrf_rejections", "bad_credentials")}
        self.assertEqual(delta, {"logins_succeeded": USERS, "csrf_rejections": 0,
                                 "bad_credentials": 0})
        self.assertEqual(self.served("/accounts/login/", "GET", 200), USERS)
        self.assertEqual(self.served("/accounts/login/", "POST", 302), USERS)

    def test_counts_equal_what_the_demo_target_served(self):
        h = self.hornet
        self.assertEqual(h.count("GET", "/accounts/login/"),
                         self.served("/accounts/login/", "GET", 200))
        self.assertEqual(h.count("POST", "/accounts/login/"),
                         self.served("/accounts/login/", "POST", 302))
        # The login POST's redirect to / is followed (as requests does) and recorded under the
        # POST, so the demo target served / once more per login than the index task asked.
        self.assertEqual(h.count("GET", "/") + h.count("POST", "/accounts/login/"),
                         self.served("/", "GET", 200))
        self.assertEqual(h.count("GET", "/heavy_url/"), self.served("/heavy_url/", "GET", 200))
        self.assertEqual(h.count("GET", "/another_heavy_ajax_url/"),
                         self.served("/another_heavy_ajax_url/", "GET", 200))
        # Nothing else was served (no 4xx, no unknown routes).
        served_total = self.after["responses"] - self.before["responses"]
        aggregated = int(h.stats()[("", "Aggregated")]["Request Count"])
        self.assertEqual(served_total, aggregated + h.count("POST", "/accounts/login/"))

    def test_task_mix_is_1_2_2(self):
        counts = {path: self.hornet.count("GET", path) for path in WEIGHTS}
        total = sum(counts.values())
        self.assertGreaterEqual(total, MIN_TASKS, counts)
        for path, weight in WEIGHTS.items():
            p = weight / sum(WEIGHTS.values())
            z = (counts[path] - total * p) / math.sqrt(total * p * (1 - p))
            self.assertLess(abs(z), Z_LIMIT, f"{path}: {counts[path]} of {total} "
                            f"(expected {p:.0%}), z = {z:.2f}; all: {counts}")

    def test_content_sizes_are_the_decoded_bodies(self):
        # / is 17,611 bytes of HTML, sent gzip-compressed: Hornet counts the decoded size.
        stats = self.hornet.stats()
        self.assertEqual(float(stats[("GET", "/")]["Average Content Size"]), 17611.0)
        self.assertEqual(float(stats[("POST", "/accounts/login/")]["Average Content Size"]),
                         17611.0)


if __name__ == "__main__":
    itest.main()
