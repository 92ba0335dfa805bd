"""gevent inside a task: gevent.spawn and join/value, gevent.pool.Group, gevent.lock.Semaphore
(as Locust examples use them). Each user does it once, logging the order of events to $PY_LOG,
then stops."""

import gevent
from gevent.lock import Semaphore
from gevent.pool import Group

from locust import User, constant, task
from locust.exception import StopUser

from itest_py import log, mark


class GeventUser(User):
    wait_time = constant(0)

    @task
    def fan_out(self):
        def child(i):
            log(f"child-start {i}")
            gevent.sleep(0.2)
            log(f"child-end {i}")
            mark("child")
            return i * 2

        group = Group()
        for i in range(5):
            group.spawn(child, i)
        group.join()
        log("group joined")

        greenlet = gevent.spawn(child, 10)
        greenlet.join()
        log(f"spawn value {greenlet.value}")

        semaphore = Semaphore(2)
        active = {"now": 0, "max": 0}

        def guarded(i):
            with semaphore:
                active["now"] += 1
                active["max"] = max(active["max"], active["now"])
                gevent.sleep(0.1)
                active["now"] -= 1

        greenlets = [gevent.spawn(guarded, i) for i in range(6)]
        gevent.joinall(greenlets)
        log(f"semaphore max {active['max']}")
        raise StopUser()
