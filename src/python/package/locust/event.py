"""Locust's event hooks (``locust.events``), as in Locust 2.12.

Hornet fires the run events from C++ through ``_hornet_runtime.fire``; ``request`` is special:
a user's ``events.request.fire(...)`` (custom clients) also records the request in Hornet's
statistics, while Hornet's own HTTP clients, whose requests are already recorded in C++, call
``fire_listeners_only``.
"""

import logging
import traceback

from . import log
from ._unsupported import UnsupportedAttributeError
from .exception import InterruptTaskSet, RescheduleTask, RescheduleTaskImmediately, StopUser
from ._errors import error_text

_CONTROL_FLOW = (StopUser, RescheduleTask, RescheduleTaskImmediately, InterruptTaskSet)


class EventHook:
    """A list of listeners called with keyword arguments, in the order they were added.

    A listener's exception is logged and the others still run (as in Locust), except the
    user control-flow exceptions (StopUser, RescheduleTask...), which propagate.
    """

    def __init__(self):
        self._handlers = []

    def add_listener(self, handler):
        """Adds ``handler``; returns it (so this works as a decorator)."""
        self._handlers.append(handler)
        return handler

    def remove_listener(self, handler):
        self._handlers.remove(handler)

    # Locust 0.x spelling: ``events.x += handler`` / ``events.x -= handler``.
    def __iadd__(self, handler):
        self.add_listener(handler)
        return self

    def __isub__(self, handler):
        self.remove_listener(handler)
        return self

    def fire(self, *, reverse=False, **kwargs):
        """Calls every listener with ``kwargs`` (last added first if ``reverse``)."""
        handlers = reversed(self._handlers) if reverse else list(self._handlers)
        for handler in handlers:
            try:
                handler(**kwargs)
            except _CONTROL_FLOW:
                raise
            except Exception:
                logging.error("Uncaught exception in event handler: \n%s", traceback.format_exc())
                log.unhandled_greenlet_exception = True


class RequestEventHook(EventHook):
    """``events.request``: firing it records the request in Hornet's statistics.

    ``fire(request_type=, name=, response_time=, response_length=, exception=, ...)`` records
    through ``_hornet.record`` (the failure text as Locust's ``error_text``) and then calls the
    listeners with every keyword, like Locust, whose statistics are a listener added first.
    """

    def fire(self, *, reverse=False, **kwargs):
        import _hornet

        try:
            request_type = kwargs["request_type"]
            name = kwargs["name"]
            response_time = kwargs["response_time"]
        except KeyError as missing:
            raise TypeError(f"events.request.fire() needs the keyword argument {missing}") from None
        exception = kwargs.get("exception")
        _hornet.record(
            str(request_type),
            str(name),
            float(response_time or 0),
            int(kwargs.get("response_length") or 0),
            None if exception is None else error_text(exception),
        )
        super().fire(reverse=reverse, **kwargs)

    def fire_listeners_only(self, **kwargs):
        """Calls the listeners without recording (for requests Hornet recorded already)."""
        super().fire(**kwargs)

    @property
    def has_listeners(self):
        """Whether anything listens (a client may skip building the arguments otherwise)."""
        return bool(self._handlers)


class Events:
    """Every event Locust 2.12 defines, one EventHook each.

    Hornet fires: ``init``, ``init_command_line_parser``, ``test_start``, ``test_stop``,
    ``spawning_complete``, ``quitting`` (and any other the C++ side passes to
    ``_hornet_runtime.fire``); ``request`` fires for every request. ``request_success`` and
    ``request_failure`` (deprecated since Locust 1.0) are not supported.
    """

    _NAMES = (
        "request",
        "user_error",
        "report_to_master",
        "worker_report",
        "spawning_complete",
        "quitting",
        "quit",
        "init",
        "init_command_line_parser",
        "test_start",
        "test_stopping",
        "test_stop",
        "reset_stats",
        "cpu_warning",
    )

    def __init__(self):
        for name in self._NAMES:
            setattr(self, name, EventHook())
        self.request = RequestEventHook()

    def __getattr__(self, name):
        if name in ("request_success", "request_failure"):
            raise UnsupportedAttributeError(
                f"locust.events.{name}",
                "deprecated since Locust 1.0: add a listener to events.request, whose "
                "`exception` argument is None for a success",
            )
        raise AttributeError(f"locust.events has no event {name!r}")
