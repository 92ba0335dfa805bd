"""Control flow: StopUser, RescheduleTask, an exception in a task (counted in the exceptions
table with its traceback), an exception in on_start (the user ends)."""

from locust import User, constant, task
from locust.exception import RescheduleTask, StopUser

from itest_py import mark


class StopperUser(User):
    wait_time = constant(0)
    n = 0

    def on_start(self):
        mark("stop start")

    @task
    def work(self):
        self.n += 1
        mark("stop task")
        if self.n == 2:
            raise StopUser()
        mark("stop after")

    def on_stop(self):
        mark("stop on_stop")


class RescheduleUser(User):
    wait_time = constant(0)
    n = 0

    @task
    def work(self):
        self.n += 1
        if self.n > 3:
            raise StopUser()
        mark("resched before")
        raise RescheduleTask()
        mark("resched never")  # noqa


def helper(n):
    raise ValueError(f"boom {n % 1}")  # the line the traceback names (44)


class ExceptionUser(User):
    wait_time = constant(0)
    n = 0

    @task
    def explode(self):
        self.n += 1
        if self.n > 3:
            raise StopUser()
        mark("exc before")
        helper(self.n)


class BadStartUser(User):
    wait_time = constant(0)

    def on_start(self):
        mark("badstart on_start")
        raise RuntimeError("no login for you")

    @task
    def never(self):
        mark("badstart task")

    def on_stop(self):
        mark("badstart on_stop")
