"""The gevent shim on the fake _hornet's greenlet loop (virtual time): real switching between
greenlets through _hornet.spawn/park/wake/kill/sleep only."""

import queue
import time
import unittest

import fake_hornet
import support  # noqa: F401  (installs the fake _hornet and Hornet's package)

import gevent  # noqa: E402  (Hornet's shim: package/ is first on sys.path)
from gevent.event import AsyncResult, Event
from gevent.lock import BoundedSemaphore, RLock, Semaphore
from gevent.pool import Group, Pool
from gevent.queue import JoinableQueue, Queue


def run(main):
    loop = fake_hornet.Loop()
    return loop, loop.run(main)


class Basics(unittest.TestCase):
    def test_it_is_the_shim(self):
        self.assertIn("src/python/package/gevent", gevent.__file__)

    def test_spawn_join_value_and_order(self):
        trace = []

        def child(i):
            trace.append(f"start {i}")
            gevent.sleep(0.1 * (3 - i))
            trace.append(f"end {i}")
            return i * 2

        def main():
            greenlets = [gevent.spawn(child, i) for i in range(3)]
            trace.append("spawned")
            done = gevent.joinall(greenlets)
            return [g.value for g in greenlets], len(done)

        loop, (values, count) = run(main)
        self.assertEqual(values, [0, 2, 4])
        self.assertEqual(count, 3)
        self.assertEqual(trace, ["spawned", "start 0", "start 1", "start 2", "end 2", "end 1", "end 0"])
        self.assertAlmostEqual(loop.now, 0.3)

    def test_exception_get_and_link(self):
        seen = []

        def fails():
            raise ValueError("boom")

        def main():
            g = gevent.spawn(fails)
            g.link(lambda done: seen.append(done.successful()))
            g.join()
            self.assertTrue(g.ready())
            self.assertIsInstance(g.exception, ValueError)
            with self.assertRaises(ValueError):
                g.get()
            gevent.sleep(0)  # links run in their own greenlet
            return seen

        self.assertEqual(run(main)[1], [False])

    def test_kill(self):
        trace = []

        def sleeper():
            try:
                gevent.sleep(10)
            except gevent.GreenletExit:
                trace.append("exited")
                raise

        def main():
            g = gevent.spawn(sleeper)
            gevent.sleep(1)
            g.kill()
            trace.append(("dead", g.dead, g.successful(), type(g.value).__name__))
            never = gevent.spawn(trace.append, "never")
            never.kill()
            gevent.sleep(0)

        loop, _ = run(main)
        self.assertEqual(trace, ["exited", ("dead", True, True, "GreenletExit")])
        self.assertEqual(loop.now, 1.0)

    def test_killall_and_spawn_later(self):
        trace = []

        def main():
            late = gevent.spawn_later(2, trace.append, "late")
            gs = [gevent.spawn(gevent.sleep, 5) for _ in range(3)]
            gevent.sleep(1)
            gevent.killall(gs)
            late.join()
            return all(g.dead for g in gs)

        loop, all_dead = run(main)
        self.assertTrue(all_dead)
        self.assertEqual(trace, ["late"])
        self.assertEqual(loop.now, 2.0)

    def test_timeout(self):
        def main():
            outcome = []
            try:
                with gevent.Timeout(1):
                    gevent.sleep(5)
            except gevent.Timeout as t:
                outcome.append(str(t))
            with gevent.Timeout(1, False):
                gevent.sleep(5)
                outcome.append("not reached")
            with gevent.Timeout(5):
                gevent.sleep(1)  # cancelled in time
            gevent.sleep(10)  # the cancelled timer fires into nothing
            outcome.append(gevent.with_timeout(1, gevent.sleep, 3, timeout_value="dflt"))
            try:
                with gevent.Timeout(1, ValueError):
                    gevent.sleep(2)
            except ValueError:
                outcome.append("value error")
            return outcome

        loop, outcome = run(main)
        self.assertEqual(outcome, ["1 second", "dflt", "value error"])

    def test_timeout_restarted_is_not_hit_by_its_old_timer(self):
        def main():
            t = gevent.Timeout(2)
            t.start()
            gevent.sleep(1)
            t.cancel()
            t.start()  # due at 3, not at 2
            gevent.sleep(1.5)
            t.cancel()
            return "ok"

        self.assertEqual(run(main)[1], "ok")

    def test_monkey_and_unsupported(self):
        from gevent import monkey

        self.assertIsNone(monkey.patch_all())
        with self.assertRaisesRegex(AttributeError, "gevent.server is not supported"):
            gevent.server

    def test_sleep_outside_a_greenlet_blocks_for_real(self):
        before = time.monotonic()
        gevent.sleep(0)  # the fake's plain sleep: records, returns
        self.assertLess(time.monotonic() - before, 1)


class Locks(unittest.TestCase):
    def test_semaphore_one_at_a_time(self):
        trace = []
        lock = Semaphore(1)

        def worker(name):
            with lock:
                trace.append(f"in {name}")
                gevent.sleep(1)
                trace.append(f"out {name}")

        def main():
            gevent.joinall([gevent.spawn(worker, "a"), gevent.spawn(worker, "b")])

        loop, _ = run(main)
        self.assertEqual(trace, ["in a", "out a", "in b", "out b"])
        self.assertEqual(loop.now, 2.0)

    def test_semaphore_counts_and_timeouts(self):
        def main():
            s = Semaphore(2)
            self.assertTrue(s.acquire())
            self.assertTrue(s.acquire())
            self.assertFalse(s.acquire(blocking=False))
            self.assertFalse(s.acquire(timeout=0.5))
            gevent.spawn_later(1, s.release)
            self.assertTrue(s.acquire(timeout=5))
            b = BoundedSemaphore(1)
            with self.assertRaises(ValueError):
                b.release()

        loop, _ = run(main)
        self.assertEqual(loop.now, 1.5)

    def test_rlock(self):
        def main():
            lock = RLock()
            with lock:
                with lock:
                    pass
            other = gevent.spawn(lambda: lock.acquire(timeout=0.1))
            with lock:
                other.join()
            return other.value

        self.assertFalse(run(main)[1])


class Events(unittest.TestCase):
    def test_event(self):
        trace = []
        event = Event()

        def waiter(i):
            trace.append((i, event.wait()))

        def main():
            gs = [gevent.spawn(waiter, i) for i in range(2)]
            gevent.sleep(1)
            trace.append("set")
            event.set()
            gevent.joinall(gs)
            self.assertFalse(Event().wait(timeout=0.5))

        run(main)
        self.assertEqual(trace, ["set", (0, True), (1, True)])

    def test_async_result(self):
        def main():
            result = AsyncResult()
            gevent.spawn_later(1, result.set, 42)
            value = result.get()
            failed = AsyncResult()
            failed.set_exception(KeyError("k"))
            with self.assertRaises(KeyError):
                failed.get()
            with self.assertRaises(gevent.Timeout):
                AsyncResult().get(timeout=0.1)
            return value

        self.assertEqual(run(main)[1], 42)


class Pools(unittest.TestCase):
    def test_group(self):
        def main():
            group = Group()
            for i in range(3):
                group.spawn(gevent.sleep, i)
            group.join()
            return len(group)

        loop, size = run(main)
        self.assertEqual((size, loop.now), (0, 2.0))

    def test_pool_limits_concurrency(self):
        active = {"now": 0, "max": 0}

        def job(i):
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
            gevent.sleep(1)
            active["now"] -= 1
            return i

        def main():
            pool = Pool(2)
            self.assertEqual(pool.size, 2)
            results = pool.map(job, range(5))
            unordered = sorted(pool.imap_unordered(job, range(3)))
            pool.join()
            return results, unordered

        loop, (results, unordered) = run(main)
        self.assertEqual(results, [0, 1, 2, 3, 4])
        self.assertEqual(unordered, [0, 1, 2])
        self.assertEqual(active["max"], 2)
        self.assertEqual(loop.now, 5.0)


class Queues(unittest.TestCase):
    def test_queue(self):
        trace = []

        def consumer(q):
            for item in q:
                trace.append(item)

        def main():
            q = Queue()
            g = gevent.spawn(consumer, q)
            q.put(1)
            q.put(2)
            gevent.sleep(0)
            q.put(StopIteration)
            g.join()
            with self.assertRaises(queue.Empty):
                Queue().get(timeout=0.5)
            full = Queue(1)
            full.put(0)
            with self.assertRaises(queue.Full):
                full.put(1, block=False)

        run(main)
        self.assertEqual(trace, [1, 2])

    def test_joinable_queue(self):
        def worker(q, done):
            while True:
                item = q.get()
                gevent.sleep(1)
                done.append(item)
                q.task_done()

        def main():
            q, done = JoinableQueue(), []
            workers = [gevent.spawn(worker, q, done) for _ in range(2)]
            for i in range(4):
                q.put(i)
            q.join()
            gevent.killall(workers)
            return done

        loop, done = run(main)
        self.assertEqual(sorted(done), [0, 1, 2, 3])
        self.assertEqual(loop.now, 2.0)


class CooperativeSleep(unittest.TestCase):
    def test_time_sleep_suspends_only_the_greenlet(self):
        from locust import _cooperative

        original = time.sleep
        _cooperative.install_cooperative_sleep()
        try:
            trace = []

            def napper(name, seconds):
                time.sleep(seconds)
                trace.append(name)

            def main():
                gevent.joinall([gevent.spawn(napper, "slow", 2), gevent.spawn(napper, "fast", 1)])

            loop, _ = run(main)
            self.assertEqual(trace, ["fast", "slow"])
            self.assertEqual(loop.now, 2.0)
        finally:
            time.sleep = original


if __name__ == "__main__":
    unittest.main()
