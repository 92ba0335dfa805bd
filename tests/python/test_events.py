"""locust.events: listeners, and events.request recording through _hornet.record."""

import logging
import unittest

import fake_hornet
from support import fresh_events, locust

from locust.event import EventHook, Events, error_text
from locust.exception import CatchResponseError, StopUser


class EventHookTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def test_listeners_get_keywords_in_order(self):
        hook, seen = EventHook(), []
        hook.add_listener(lambda **kw: seen.append(("a", kw)))

        @hook.add_listener
        def b(x, **kw):
            seen.append(("b", x))

        hook.fire(x=1)
        hook.fire(reverse=True, x=2)
        self.assertEqual(seen, [("a", {"x": 1}), ("b", 1), ("b", 2), ("a", {"x": 2})])
        hook.remove_listener(b)
        seen.clear()
        hook.fire(x=3)
        self.assertEqual(seen, [("a", {"x": 3})])

    def test_locust_0x_iadd(self):
        hook, seen = EventHook(), []
        hook += seen.append
        handler = lambda **kw: seen.append(kw)  # noqa: E731
        hook += handler
        hook -= seen.append
        hook.fire(y=2)
        self.assertEqual(seen, [{"y": 2}])

    def test_a_listener_error_is_logged_and_the_others_run(self):
        hook, seen = EventHook(), []

        def bad(**kw):
            raise ValueError("boom")

        hook.add_listener(bad)
        hook.add_listener(lambda **kw: seen.append(1))
        with self.assertLogs(level=logging.ERROR) as logs:
            hook.fire()
        self.assertEqual(seen, [1])
        self.assertIn("boom", logs.output[0])
        self.assertTrue(locust.log.unhandled_greenlet_exception)
        locust.log.unhandled_greenlet_exception = False

    def test_control_flow_exceptions_propagate(self):
        hook = EventHook()

        def stop(**kw):
            raise StopUser()

        hook.add_listener(stop)
        with self.assertRaises(StopUser):
            hook.fire()

    def test_every_locust_2_12_event(self):
        events = Events()
        for name in ("request", "user_error", "report_to_master", "worker_report", "spawning_complete",
                     "quitting", "quit", "init", "init_command_line_parser", "test_start",
                     "test_stopping", "test_stop", "reset_stats", "cpu_warning"):
            self.assertIsInstance(getattr(events, name), EventHook, name)

    def test_deprecated_request_success_is_refused_by_name(self):
        with self.assertRaisesRegex(AttributeError, "request_success is not supported by Hornet"):
            locust.events.request_success.add_listener(print)
        with self.assertRaisesRegex(AttributeError, "no event 'nope'"):
            locust.events.nope


class RequestEventTest(unittest.TestCase):
    def setUp(self):
        fresh_events()

    def test_fire_records_then_calls_listeners(self):
        seen = []

        @locust.events.request.add_listener
        def listener(request_type, name, response_time, response_length, exception, **kw):
            seen.append((request_type, name, exception, fake_hornet.calls_of("record")[:]))

        locust.events.request.fire(request_type="grpc", name="Login", response_time=12.5,
                                   response_length=42, exception=None, context={})
        self.assertEqual(fake_hornet.calls_of("record"), [("grpc", "Login", 12.5, 42, None)])
        self.assertEqual(seen[0][:3], ("grpc", "Login", None))
        self.assertEqual(len(seen[0][3]), 1)  # recorded before the listener ran

    def test_failure_text_follows_locusts_repr(self):
        class Thing:
            pass

        for exception, text in [
            (CatchResponseError("bad"), "CatchResponseError('bad')"),
            (ValueError("x", 1), "ValueError('x', 1)"),
            ("plain text", "'plain text'"),
            (RuntimeError(Thing()), "RuntimeError(<test_events.RequestEventTest."
                                    "test_failure_text_follows_locusts_repr.<locals>.Thing object at 0x....>)"),
        ]:
            self.assertEqual(error_text(exception), text)
        locust.events.request.fire(request_type="X", name="n", response_time=1,
                                   response_length=None, exception=CatchResponseError("bad"))
        self.assertEqual(fake_hornet.calls_of("record"), [("X", "n", 1.0, 0, "CatchResponseError('bad')")])

    def test_fire_listeners_only_does_not_record(self):
        seen = []
        locust.events.request.add_listener(lambda **kw: seen.append(kw["name"]))
        self.assertTrue(locust.events.request.has_listeners)
        locust.events.request.fire_listeners_only(request_type="GET", name="/", response_time=3,
                                                  response_length=0, exception=None)
        self.assertEqual(seen, ["/"])
        self.assertEqual(fake_hornet.calls_of("record"), [])

    def test_missing_arguments(self):
        with self.assertRaisesRegex(TypeError, "response_time"):
            locust.events.request.fire(request_type="GET", name="/")


if __name__ == "__main__":
    unittest.main()
