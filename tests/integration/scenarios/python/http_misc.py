"""HttpUser odds and ends: a request listener sees Hornet's own requests; a user in the middle of
a slow request when the run ends; an HttpUser whose constructor raises."""

from locust import HttpUser, constant, events, task
from locust.exception import StopUser

from itest_py import log


@events.request.add_listener
def on_request(request_type, name, response, exception, context, **kwargs):
    if name.startswith("listened"):
        outcome = "ok" if exception is None else f"fail {type(exception).__name__}"
        log(f"{request_type} {name} {outcome} {response.status_code}")


class ListenedUser(HttpUser):
    wait_time = constant(0)

    @task
    def work(self):
        self.client.get("/ok", name="listened")
        self.client.post("/ok", name="listened")
        self.client.get("/status/404", name="listened-404")
        raise StopUser()


class SlowUser(HttpUser):
    wait_time = constant(0)

    @task
    def work(self):
        self.client.get("/slow?delay=30", name="slow")


class BrokenInitUser(HttpUser):
    wait_time = constant(0)

    def __init__(self, environment):
        super().__init__(environment)
        raise RuntimeError("cannot construct")

    @task
    def work(self):
        self.client.get("/ok", name="never")
