#!/usr/bin/env python3
"""A scenario's run hooks and load shape (core::RunHooks, core::LoadShape) in a real run: the
`shape` scenario (scenarios/shape.cpp) registers both; its hooks write a line per event to a
file. Headless, the shape ramps 2 users of any class, then 4 of `Second` only, then ends the
run; quitting's code is the exit code. Without a shape the events come in the same order.

    python3 test_shape.py shape=PATH [-v]
"""

import os
import tempfile
import unittest

import itest
from itest_server import ServerTestCase

TIMEOUT = 60.0


class ShapeTest(ServerTestCase):

    def run_shape(self, *flags, env=None):
        log = tempfile.NamedTemporaryFile(prefix="hornet-hooks-", delete=False)
        log.close()
        self.addCleanup(os.unlink, log.name)
        environment = {"ITEST_HOOKS_LOG": log.name, **(env or {})}
        hornet = itest.run("shape", "-H", self.server.url, "--headless", *flags,
                           env=environment, timeout=TIMEOUT)
        self.addCleanup(hornet.close)
        with open(log.name) as file:
            events = file.read().splitlines()
        return hornet, events

    def test_shape_drives_the_run_and_quitting_sets_the_exit_code(self):
        hornet, events = self.run_shape("-u", "9", env={"ITEST_EXIT_CODE": "3"})
        self.assertEqual(hornet.code, 3, hornet.describe())
        self.assertIn("The specified locustfile contains a shape class but a conflicting "
                      "argument was specified: users or spawn-rate. Ignoring arguments",
                      hornet.stderr)
        self.assertIn("Shape test updating to 2 users at 10.00 spawn rate", hornet.stderr)
        self.assertIn("Shape test updating to 4 users at 10.00 spawn rate", hornet.stderr)
        self.assertIn("Shape test stopping", hornet.stderr)
        # The run lasted the shape's 4 s, not -u's users forever.
        self.assertGreaterEqual(hornet.took, 3.9)
        milestones = [e for e in events if not e.startswith("update")]
        self.assertEqual(milestones[:3], ["test_start", "spawning_complete 2",
                                          "spawning_complete 4"], events)
        self.assertEqual(milestones[3], "test_stop", events)
        self.assertTrue(milestones[4].startswith("quitting stopped "), events)
        self.assertEqual(len(milestones), 5, events)
        updates = [e.split() for e in events if e.startswith("update")]
        self.assertGreaterEqual(len(updates), 3, events)
        self.assertIn(["running", "4"], [u[1:3] for u in updates])
        # Locust's stats.total at quitting: every request the CSV counted.
        total = int(hornet.stats()[("", "Aggregated")]["Request Count"])
        self.assertEqual(int(milestones[4].split()[2]), total)
        # The second stage spawned only Second users: First stayed at the first stage's one.
        self.assertIn('All users spawned: {"First": 1, "Second": 1} (2 total users)',
                      hornet.stderr)
        self.assertIn('All users spawned: {"First": 1, "Second": 3} (4 total users)',
                      hornet.stderr)
        self.assertGreater(hornet.count("GET", "/echo/first"), 0)

    def test_run_time_still_ends_a_shape_run(self):
        hornet, events = self.run_shape("-t", "1")
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertIn("--run-time limit reached, shutting down", hornet.stderr)
        self.assertNotIn("Shape test updating to 4 users", hornet.stderr)
        milestones = [e for e in events if not e.startswith("update")]
        self.assertEqual(milestones[:3], ["test_start", "spawning_complete 2", "test_stop"],
                         events)

    def test_without_a_shape_the_hooks_fire_around_a_plain_run(self):
        hornet, events = self.run_shape("-u", "2", "-r", "10", "-t", "1",
                                        env={"ITEST_SHAPE": "off"})
        self.assertEqual(hornet.code, 0, hornet.describe())
        self.assertNotIn("Shape test", hornet.stderr)
        milestones = [e for e in events if not e.startswith("update")]
        self.assertEqual(milestones[:3], ["test_start", "spawning_complete 2", "test_stop"],
                         events)
        self.assertTrue(milestones[3].startswith("quitting stopped"), events)


if __name__ == "__main__":
    itest.main()
