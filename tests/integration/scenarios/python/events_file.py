"""Run events and custom options: init_command_line_parser adds --itest-items (int, with an
env_var) and --itest-flag; init, test_start, test_stop and quitting log what they see to $PY_LOG;
quitting sets the exit code from --itest-exit-code; a request listener counts what it sees;
RpcUser is a custom client firing events.request; QuitterUser calls runner.quit()."""

import time

from locust import User, constant, events, task
from locust.exception import StopUser
from locust.runners import LocalRunner, MasterRunner, WorkerRunner

from itest_py import log, mark

seen = {"requests": 0, "failures": 0}


@events.init_command_line_parser.add_listener
def add_options(parser):
    parser.add_argument("--itest-items", type=int, default=3, env_var="LOCUST_ITEST_ITEMS",
                        help="How many items the itest user asks for")
    parser.add_argument("--itest-flag", action="store_true", help="An itest flag")
    parser.add_argument("--itest-exit-code", type=int, default=-1, help="quitting's exit code")


@events.init.add_listener
def on_init(environment, **kwargs):
    options = environment.parsed_options
    kind = next(k.__name__ for k in (MasterRunner, WorkerRunner, LocalRunner)
                if isinstance(environment.runner, k))
    log(f"init runner={kind} items={options.itest_items!r} flag={options.itest_flag!r} "
        f"host={environment.host}")


@events.test_start.add_listener
def on_test_start(environment, **kwargs):
    log("test_start")


@events.test_stop.add_listener
def on_test_stop(environment, **kwargs):
    log("test_stop")


@events.request.add_listener
def on_request(request_type, name, response_time, response_length, exception, **kwargs):
    seen["requests"] += 1
    if exception is not None:
        seen["failures"] += 1


@events.quitting.add_listener
def on_quitting(environment, **kwargs):
    total = environment.stats.total
    log(f"quitting requests={total.num_requests} failures={total.num_failures} "
        f"seen={seen['requests']}/{seen['failures']}")
    code = environment.parsed_options.itest_exit_code
    if code >= 0:
        environment.process_exit_code = code


class RpcClient:
    """A custom client as in Locust's docs: times a call and fires events.request."""

    def __init__(self, request_event):
        self.request_event = request_event
        self.calls = 0

    def call(self, name):
        self.calls += 1
        start = time.perf_counter()
        exception = ValueError("rpc failed") if self.calls % 3 == 0 else None
        self.request_event.fire(request_type="rpc", name=name,
                                response_time=(time.perf_counter() - start) * 1000,
                                response_length=10, exception=exception, context={})


class RpcUser(User):
    wait_time = constant(0)

    def on_start(self):
        self.client = RpcClient(self.environment.events.request)

    @task
    def work(self):
        if self.client.calls == self.environment.parsed_options.itest_items:
            raise StopUser()
        self.client.call("do-thing")


class QuitterUser(User):
    wait_time = constant(0.1)
    n = 0

    @task
    def work(self):
        self.n += 1
        mark("quitter")
        if self.n == 3:
            log("calling quit")
            self.environment.runner.quit()
