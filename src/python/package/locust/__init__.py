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

_SUBMODULES = frozenset(
    ("argument_parser", "clients", "contrib", "debug", "env", "event", "exception", "log",
     "runners", "shape", "stats", "user")
)
_UNSUPPORTED = {
    "FastHttpLocust": "Locust 0.x; use locust.FastHttpUser",
}


def __getattr__(name):
    if name == "FastHttpUser":
        from .contrib.fasthttp import FastHttpUser

        return FastHttpUser
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _UNSUPPORTED:
        from ._unsupported import UnsupportedAttributeError

        raise UnsupportedAttributeError(f"locust.{name}", _UNSUPPORTED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
