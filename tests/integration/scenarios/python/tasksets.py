"""TaskSets: nesting with interrupt(), SequentialTaskSet order, tags, weights and fixed_count,
wait times, on_start/on_stop. Every user here is a plain User: what happens is logged to $PY_LOG
(log) or recorded as "MARK" requests (mark). Select the classes on the command line."""

from locust import (SequentialTaskSet, TaskSet, User, between, constant, constant_pacing, tag,
                    task)
from locust.exception import StopUser

from itest_py import log, log_time, mark, next_id


# -- nested TaskSets and interrupt() ---------------------------------------------------------

class Inner(TaskSet):
    def on_start(self):
        self.n = 0
        log(f"{self.user.uid} inner-start")

    @task
    def work(self):
        self.n += 1
        log(f"{self.user.uid} inner {self.n} parent={type(self.parent).__name__}")
        if self.n == 3:
            self.interrupt(reschedule=False)

    def on_stop(self):
        log(f"{self.user.uid} inner-stop")


def first(taskset):
    log(f"{taskset.user.uid} first")


def last(taskset):
    log(f"{taskset.user.uid} last")
    raise StopUser()


class Outer(SequentialTaskSet):
    tasks = [first, Inner, last]

    def on_stop(self):
        log(f"{self.user.uid} outer-stop")


class NestedUser(User):
    wait_time = constant(0)
    tasks = [Outer]

    def on_start(self):
        self.uid = next_id()
        log(f"{self.uid} user-start")

    def on_stop(self):
        log(f"{self.uid} user-stop")


# -- SequentialTaskSet: weights repeat a task in place ---------------------------------------

class Steps(SequentialTaskSet):
    rounds = 0

    @task(2)
    def a(self):
        log(f"{self.user.uid} a")

    @task
    def b(self):
        log(f"{self.user.uid} b")
        self.rounds += 1
        if self.rounds == 2:
            raise StopUser()


class SeqUser(User):
    wait_time = constant(0)
    tasks = [Steps]

    def on_start(self):
        self.uid = next_id()


# -- tags --------------------------------------------------------------------------------------

@tag("z")
class ZSet(TaskSet):
    @task
    def z(self):
        mark("z")
        self.interrupt()


class TagUser(User):
    wait_time = constant(0.01)
    tasks = {ZSet: 1}

    @tag("x")
    @task
    def tx(self):
        mark("x")

    @tag("y")
    @task
    def ty(self):
        mark("y")

    @tag("x", "y")
    @task
    def txy(self):
        mark("xy")

    @task
    def untagged(self):
        mark("none")


# -- weights and fixed_count -------------------------------------------------------------------

class Idle(User):
    abstract = True
    wait_time = constant(0.2)

    def on_start(self):
        mark(f"start {type(self).__name__}")

    @task
    def idle(self):
        pass


class HeavyUser(Idle):
    weight = 3


class LightUser(Idle):
    weight = 1


class FixedUser(Idle):
    fixed_count = 1


# -- wait times --------------------------------------------------------------------------------

class Timed(User):
    abstract = True

    @task
    def tick(self):
        log_time(type(self).__name__)


class ConstantUser(Timed):
    wait_time = constant(0.3)


class BetweenUser(Timed):
    wait_time = between(0.2, 0.4)


class PacingUser(Timed):
    wait_time = constant_pacing(0.3)


class CustomWaitUser(Timed):
    def wait_time(self):
        log_time("custom-wait")
        return 0.3
