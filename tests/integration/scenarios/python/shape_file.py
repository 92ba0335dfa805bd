"""A LoadTestShape with two stages (2 users, then 5), then the end (None) stops the run."""

from locust import LoadTestShape, User, constant, events, task

from itest_py import log, mark


class ShapedUser(User):
    wait_time = constant(0.2)

    def on_start(self):
        mark("started")

    @task
    def work(self):
        mark("work")


class Stages(LoadTestShape):
    stages = [(2, 2), (4, 5)]  # (until second, users)

    def tick(self):
        run_time = self.get_run_time()
        for until, users in self.stages:
            if run_time < until:
                return users, 10
        return None


@events.test_stop.add_listener
def on_test_stop(environment, **kwargs):
    log("test_stop")
