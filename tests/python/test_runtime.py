"""configure(), the argument parser, run events, stats/runner proxies, shapes, unsupported names."""

import argparse
import logging
import unittest

import fake_hornet
from support import Locustfiles, _hornet_runtime, fresh_events, locust

from locust import exception as ex
from locust._unsupported import NotSupportedByHornet
from locust.argument_parser import LocustArgumentParser
from locust.runners import LocalRunner, MasterRunner, WorkerRunner

OPTIONS = {
    "locustfile": "x.py", "host": None, "num_users": 10, "spawn_rate": 2.0, "run_time": 30,
    "headless": True, "stop_timeout": 0, "master": False, "worker": False, "tags": None,
    "exclude_tags": None, "reset_stats": False, "loglevel": "INFO", "logfile": None,
    "skip_log_setup": False,
}

CUSTOM_ARGS_FILE = """
    from locust import User, events, task
    seen = {}

    @events.init_command_line_parser.add_listener
    def _(parser):
        parser.add_argument("--my-str", type=str, env_var="MY_STR", default="hello", help="a text")
        group = parser.add_argument_group("mine")
        group.add_argument("--count", "-c", type=int, default=3, include_in_web_ui=False)
        group.add_argument("--ratio", type=float, default="0.5")
        group.add_argument("--flag", action="store_true")
        group.add_argument("--no-x", dest="x", action="store_false", is_secret=True)
        parser.add_argument("--mode", choices=["a", "b"], default="a")

    @events.init.add_listener
    def on_init(environment, runner, web_ui, **kw):
        seen["environment"] = environment
        seen["runner"] = runner
        seen["web_ui"] = web_ui

    class U(User):
        @task
        def t(self): pass
"""


class ArgumentParserTest(unittest.TestCase):
    def test_records_contract_arguments(self):
        parser = LocustArgumentParser()
        action = parser.add_argument("--my-arg", "-m", type=int, default=5, help="h", metavar="N")
        self.assertEqual(action.dest, "my_arg")
        parser.add_argument("--on", action="store_true")
        parser.add_argument("--off", action="store_false", include_in_web_ui=False)
        parser.add_argument("-q", choices=[1, 2], type=int)
        parser.add_argument_group("g").add_argument("--secret", is_secret=True, env_var="S")
        self.assertEqual(parser.contract_arguments(), [
            {"names": ["--my-arg", "-m"], "dest": "my_arg", "default": "5", "help": "h",
             "type": "int", "choices": None, "env_var": None, "include_in_web_ui": True,
             "is_secret": False, "action": "store"},
            {"names": ["--on"], "dest": "on", "default": "false", "help": "", "type": "bool",
             "choices": None, "env_var": None, "include_in_web_ui": True, "is_secret": False,
             "action": "store_true"},
            {"names": ["--off"], "dest": "off", "default": "true", "help": "", "type": "bool",
             "choices": None, "env_var": None, "include_in_web_ui": False, "is_secret": False,
             "action": "store_false"},
            {"names": ["-q"], "dest": "q", "default": None, "help": "", "type": "int",
             "choices": ["1", "2"], "env_var": None, "include_in_web_ui": True, "is_secret": False,
             "action": "store"},
            {"names": ["--secret"], "dest": "secret", "default": None, "help": "", "type": "str",
             "choices": None, "env_var": "S", "include_in_web_ui": True, "is_secret": True,
             "action": "store"},
        ])

    def test_unsupported_uses_are_refused_by_name(self):
        parser = LocustArgumentParser()
        for args, kwargs, what in [
            (("positional",), {}, "positional"),
            (("--n",), {"nargs": 2}, "nargs"),
            (("--a",), {"action": "append"}, "append"),
            (("--b",), {"type": bool}, "bool"),
        ]:
            with self.assertRaisesRegex(NotSupportedByHornet, what):
                parser.add_argument(*args, **kwargs)
        with self.assertRaisesRegex(AttributeError, "add_mutually_exclusive_group is not supported"):
            parser.add_mutually_exclusive_group()


class ConfigureTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def load_and_configure(self, source=CUSTOM_ARGS_FILE, **options):
        import sys

        with Locustfiles() as files:
            result = files.load("configured.py", source)
        _hornet_runtime.configure({**OPTIONS, **options})
        return result, sys.modules["configured"]

    def test_parsed_options_with_custom_arguments_typed(self):
        result, module = self.load_and_configure(my_str="text", count="7", ratio=None, flag="true", x="false")
        self.assertEqual([a["dest"] for a in result["arguments"]], ["my_str", "count", "ratio", "flag", "x", "mode"])
        options = _hornet_runtime.environment.parsed_options
        self.assertIsInstance(options, argparse.Namespace)
        self.assertEqual(options.my_str, "text")
        self.assertEqual(options.count, 7)
        self.assertEqual(options.ratio, 0.5)  # a string default is converted, as argparse does
        self.assertIs(options.flag, True)
        self.assertIs(options.x, False)
        self.assertEqual(options.mode, "a")  # not given: the default
        self.assertEqual(options.num_users, 10)
        self.assertEqual(options.spawn_rate, 2.0)
        with self.assertRaisesRegex(AttributeError, "no option 'hatch_rate'"):
            options.hatch_rate

    def test_bad_value_is_an_error_naming_the_option(self):
        with self.assertRaisesRegex(ValueError, "--count"):
            self.load_and_configure(count="many")

    def test_environment_runner_and_init(self):
        _, module = self.load_and_configure(host="http://h")
        env = _hornet_runtime.environment
        self.assertIs(module.seen["environment"], env)
        self.assertIs(module.seen["runner"], env.runner)
        self.assertIsNone(module.seen["web_ui"])
        self.assertIsInstance(env.runner, LocalRunner)
        self.assertIs(env.runner.environment, env)
        self.assertIs(env.events, locust.events)
        self.assertEqual(env.host, "http://h")
        self.assertEqual(module.U.host, "http://h")  # as Locust's runner sets it
        self.assertEqual([c.__name__ for c in env.user_classes], ["U"])
        self.assertEqual(env.locustfile, "configured.py")
        self.assertTrue(env.catch_exceptions)
        self.assertIsNone(_hornet_runtime.exit_code())

    def test_distributed_report_hooks_are_refused(self):
        source = CUSTOM_ARGS_FILE + """
    @events.report_to_master.add_listener
    def on_report(client_id, data):
        data["mine"] = 1
"""
        self.load_and_configure(source)  # standalone: never fired, as in Locust
        fresh_events()
        with self.assertRaisesRegex(NotSupportedByHornet, "report_to_master in a distributed run"):
            self.load_and_configure(source, worker=True)

    def test_unhandled_listener_error_is_reported(self):
        source = CUSTOM_ARGS_FILE + """
    @events.init.add_listener
    def broken(environment, **kw):
        environment.runner.register_message("x", print)
"""
        locust.log.unhandled_greenlet_exception = False
        with self.assertLogs(level=logging.ERROR) as logs:
            self.load_and_configure(source, skip_log_setup=True)
        self.assertIn("register_message is not supported by Hornet", logs.output[0])
        self.assertTrue(_hornet_runtime.unhandled_exception())
        locust.log.unhandled_greenlet_exception = False

    def test_runner_classes(self):
        self.load_and_configure(master=True)
        self.assertIsInstance(_hornet_runtime.environment.runner, MasterRunner)
        fresh_events()
        self.load_and_configure(worker=True)
        self.assertIsInstance(_hornet_runtime.environment.runner, WorkerRunner)

    def test_logging_goes_to_hornet(self):
        self.load_and_configure(loglevel="WARNING")
        logging.getLogger("mine").info("hidden")
        logging.getLogger("mine").warning("shown %d", 1)
        logging.getLogger("locust.x").error("also")
        self.assertEqual(fake_hornet.calls_of("log"),
                         [(logging.WARNING, "mine", "shown 1"), (logging.ERROR, "locust.x", "also")])
        logging.getLogger().handlers = []

    def test_create_user_and_task_set(self):
        from locust import TaskSet

        _, module = self.load_and_configure()
        user = _hornet_runtime.create_user(module.U)
        self.assertIs(user.environment, _hornet_runtime.environment)

        class TS(TaskSet):
            pass

        outer = _hornet_runtime.create_task_set(TS, user)
        inner = _hornet_runtime.create_task_set(TS, outer)
        self.assertIs(inner.user, user)
        self.assertIs(inner.locust, user)
        self.assertIs(inner.parent, outer)
        self.assertIs(outer.parent, user)
        self.assertIs(inner.environment, user.environment)
        with self.assertRaises(ex.InterruptTaskSet) as caught:
            inner.interrupt(reschedule=False)
        self.assertFalse(caught.exception.reschedule)
        inner.wait()
        self.assertEqual(fake_hornet.calls_of("sleep"), [(0,)])  # the user's constant(0)


class RunTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def configure(self, source, **options):
        import sys

        with Locustfiles() as files:
            result = files.load("run.py", source)
        _hornet_runtime.configure({**OPTIONS, **options})
        return result, sys.modules["run"]

    def test_events_get_locusts_arguments(self):
        _, module = self.configure("""
            from locust import User, events, task
            seen = []
            @events.test_start.add_listener
            def a(environment, **kw): seen.append(("test_start", environment))
            @events.spawning_complete.add_listener
            def b(user_count): seen.append(("spawning_complete", user_count))
            @events.test_stop.add_listener
            def c(environment, **kw): seen.append(("test_stop", environment))
            @events.quitting.add_listener
            def first(environment, **kw):
                seen.append("quitting first-added")
            @events.quitting.add_listener
            def last(environment, **kw):
                seen.append("quitting last-added")
                environment.process_exit_code = 3
            class U(User):
                @task
                def t(self): pass
        """)
        env = _hornet_runtime.environment
        _hornet_runtime.fire("test_start", {})
        _hornet_runtime.fire("spawning_complete", {"user_count": 4})
        _hornet_runtime.fire("test_stop", {})
        _hornet_runtime.fire("quitting", {})
        self.assertEqual(module.seen, [("test_start", env), ("spawning_complete", 4), ("test_stop", env),
                                       "quitting last-added", "quitting first-added"])
        self.assertEqual(_hornet_runtime.exit_code(), 3)

    def test_snapshot_feeds_runner_and_stats(self):
        _, module = self.configure("""
            from locust import User, events, task
            class U(User):
                @task
                def t(self): pass
            @events.quitting.add_listener
            def check(environment, **kw):
                if environment.stats.total.fail_ratio > 0.01:
                    environment.process_exit_code = 1
                if environment.stats.total.get_response_time_percentile(0.95) > 800:
                    environment.process_exit_code = 2
        """)
        env = _hornet_runtime.environment
        self.assertEqual(env.runner.state, "ready")
        self.assertEqual(env.stats.total.get_response_time_percentile(0.95), 0)
        self.assertIsNone(env.stats.total.min_response_time)
        _hornet_runtime.update({
            "state": "running", "user_count": 7, "num_requests": 200, "num_failures": 1,
            "avg_response_time": 12.5, "min_response_time": 1.0, "max_response_time": 900.0,
            "median_response_time": 10.0, "avg_content_length": 100.0, "current_rps": 20.0,
            "current_fail_per_sec": 0.1, "total_rps": 19.0, "fail_ratio": 0.005,
            "percentiles": {0.5: 10.0, 0.95: 850.0, 0.99: 890.0, 1.0: 900.0},
        })
        total = env.stats.total
        self.assertEqual((env.runner.state, env.runner.user_count), ("running", 7))
        self.assertIs(env.runner.stats, env.stats)
        self.assertEqual((total.num_requests, total.num_failures, env.stats.num_requests), (200, 1, 200))
        self.assertEqual((total.avg_response_time, total.min_response_time, total.max_response_time),
                         (12.5, 1.0, 900.0))
        self.assertEqual((total.median_response_time, total.avg_content_length), (10.0, 100.0))
        self.assertEqual((total.current_rps, total.current_fail_per_sec, total.total_rps), (20.0, 0.1, 19.0))
        self.assertAlmostEqual(total.total_fail_per_sec, 0.095)
        self.assertEqual(total.get_response_time_percentile(0.95), 850.0)
        self.assertEqual(total.get_response_time_percentile(0.96), 850.0)  # nearest reported
        self.assertEqual(total.get_response_time_percentile(0.999), 900.0)
        _hornet_runtime.fire("quitting", {})
        self.assertEqual(_hornet_runtime.exit_code(), 2)
        with self.assertRaisesRegex(AttributeError, "StatsEntry.num_none_requests is not supported"):
            total.num_none_requests
        with self.assertRaisesRegex(AttributeError, "RequestStats.entries is not supported"):
            env.stats.entries

    def test_runner_quit_and_stop(self):
        self.configure("""
            from locust import User, task
            class U(User):
                @task
                def t(self): pass
        """)
        runner = _hornet_runtime.environment.runner
        runner.quit()
        runner.stop()
        self.assertEqual([c for c, _ in fake_hornet.calls], ["quit", "stop"])
        with self.assertRaisesRegex(AttributeError, "Runner.spawning_greenlet is not supported"):
            runner.spawning_greenlet
        with self.assertRaisesRegex(NotSupportedByHornet, "send_message"):
            runner.send_message("x")

    def test_shape(self):
        result, module = self.configure("""
            from locust import User, LoadTestShape, task
            class A(User):
                @task
                def t(self): pass
            class B(A):
                pass
            class Shape(LoadTestShape):
                stage = 0
                def tick(self):
                    self.stage += 1
                    if self.stage == 1:
                        return (5, 1)
                    if self.stage == 2:
                        return (8, 2.5, [B])
                    if self.stage == 3:
                        return (1, 1, None)
                    return None
        """)
        shape = result["shape"]
        self.assertIs(shape.runner, _hornet_runtime.environment.runner)
        shape.start_time -= 100
        _hornet_runtime.fire("test_start", {})
        self.assertLess(shape.get_run_time(), 1)  # the clock restarts with a test
        self.assertEqual(_hornet_runtime.shape_tick(shape), (5, 1.0))
        self.assertEqual(_hornet_runtime.shape_tick(shape), (8, 2.5, ["B"]))
        self.assertEqual(_hornet_runtime.shape_tick(shape), (1, 1.0))
        self.assertIsNone(_hornet_runtime.shape_tick(shape))


class NamesTest(unittest.TestCase):
    def test_exports(self):
        import locust as package

        for name in ("User", "HttpUser", "TaskSet", "SequentialTaskSet", "task", "tag", "between",
                     "constant", "constant_pacing", "constant_throughput", "events", "LoadTestShape",
                     "run_single_user", "wait_time", "Locust", "HttpLocust"):
            self.assertTrue(hasattr(package, name), name)
        self.assertEqual(package.__version__, "2.12.1")
        self.assertIs(package.Locust.__mro__[1], package.User)
        self.assertTrue(issubclass(package.HttpLocust, package.HttpUser))
        with self.assertRaisesRegex(ImportError, "FastHttpLocust is not supported by Hornet"):
            package.FastHttpLocust
        with self.assertRaisesRegex(ImportError, "locust.web is not supported by Hornet"):
            from locust import web  # noqa: F401
        with self.assertRaises(AttributeError):
            package.no_such_thing

    def test_exception_hierarchy(self):
        self.assertTrue(issubclass(ex.MissingWaitTimeError, ex.LocustError))
        self.assertTrue(issubclass(ex.AuthCredentialsError, ValueError))
        for name in ("LocustError", "ResponseError", "CatchResponseError", "InterruptTaskSet", "StopUser",
                     "RescheduleTask", "RescheduleTaskImmediately", "RPCError", "RPCSendError",
                     "RPCReceiveError", "RunnerAlreadyExistsError"):
            self.assertTrue(issubclass(getattr(ex, name), Exception), name)
        self.assertTrue(ex.InterruptTaskSet().reschedule)
        self.assertFalse(ex.InterruptTaskSet(False).reschedule)
        self.assertIs(ex.StopLocust, ex.StopUser)

    def test_unsupported_calls_name_themselves(self):
        from locust import run_single_user
        from locust.stats import stats_printer, StatsCSV
        import locust.stats

        with self.assertRaisesRegex(NotSupportedByHornet, r"hornet -f <locustfile.py> -u 1 --headless"):
            run_single_user(locust.User)
        with self.assertRaisesRegex(NotSupportedByHornet, "locust.stats.stats_printer is not supported"):
            stats_printer(None)
        with self.assertRaisesRegex(NotSupportedByHornet, "StatsCSV"):
            StatsCSV(None, [])
        with self.assertRaisesRegex(NotSupportedByHornet, "PERCENTILES_TO_REPORT"):
            locust.stats.PERCENTILES_TO_REPORT = [0.5]
        with self.assertRaisesRegex(NotSupportedByHornet, "schedule_task"):
            locust.TaskSet(locust.User(None)).schedule_task(print)

    def test_http_user_builds_its_client(self):
        import sys
        import types
        from unittest import mock

        try:
            import locust.clients as clients
        except ImportError:
            clients = types.ModuleType("locust.clients")
            clients.HttpSession = None
            sys.modules["locust.clients"] = clients
        from locust import HttpUser
        from locust.env import Environment

        class U(HttpUser):
            host = "http://example.com"

        env = Environment(events=locust.events)
        with mock.patch.object(clients, "HttpSession") as session:
            user = U(env)
        session.assert_called_once_with(base_url="http://example.com", request_event=locust.events.request,
                                        user=user)
        self.assertIs(user.client, session.return_value)
        U.host = None
        with self.assertRaisesRegex(ex.LocustError, "You must specify the base host"):
            U(env)


if __name__ == "__main__":
    unittest.main()
