"""Hornet's ``locust`` package: Locust 2.12's API for locustfiles run by Hornet's engine.

Exports what Locust 2.12's ``locust`` does, plus Locust 0.x's ``Locust``, ``HttpLocust``,
``TaskSequence`` and ``seq_task``.
``FastHttpUser`` is imported from ``locust.contrib.fasthttp`` when first used. Locust names
Hornet does not support raise an error naming them.
"""

import importlib

__version__ = "2.12.1"

from .user.sequential_taskset import SequentialTaskSet, TaskSequence, seq_task
from .user import wait_time
from .user.task import task, tag, TaskSet
from .user.users import HttpUser, User, Locust, HttpLocust
from .user.wait_time import between, constant, constant_pacing, constant_throughput
from .shape import LoadTestShape
from .debug import run_single_user
from .event import Events
from ._unsupported import module_getattr

events = Events()

__all__ = (
    "SequentialTaskSet",
    "wait_time",
    "task",
    "tag",
    "TaskSet",
    "HttpUser",
    "FastHttpUser",
    "User",
    "between",
    "constant",
    "constant_pacing",
    "constant_throughput",
    "events",
    "LoadTestShape",
)
# Also exported, as Locust does without listing them in __all__ (and Locust 0.x's names):
_EXPORTED = (run_single_user, Locust, HttpLocust, TaskSequence, seq_task)

_SUBMODULES = frozenset(
    ("argument_parser", "clients", "contrib", "debug", "env", "event", "exception", "log",
     "runners", "shape", "stats", "user")
)
_UNSUPPORTED = {
    "FastHttpLocust": "Locust 0.x; use locust.FastHttpUser",
    "web": "Hornet's web UI is its own; it cannot be extended with Flask routes",
}
_unsupported_getattr = module_getattr(__name__, _UNSUPPORTED)


def __getattr__(name):
    if name == "FastHttpUser":
        from .contrib.fasthttp import FastHttpUser

        return FastHttpUser
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    return _unsupported_getattr(name)
