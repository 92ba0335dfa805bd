"""A stand-in for Hornet's native ``_hornet`` module, for testing the package in plain Python.

``install()`` puts Hornet's ``locust`` package first on sys.path and this module in
``sys.modules["_hornet"]``. The functions record their calls in ``calls`` (a list of
``(function_name, args)``); ``reset()`` clears it.
"""

import os
import sys

PACKAGE_DIR = os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "src", "python", "package")
)

calls = []


def install():
    """Makes ``import _hornet`` give this module and ``import locust`` Hornet's package."""
    if PACKAGE_DIR in sys.path:
        sys.path.remove(PACKAGE_DIR)
    sys.path.insert(0, PACKAGE_DIR)
    sys.modules["_hornet"] = sys.modules[__name__]
    loaded = sys.modules.get("locust")
    if loaded is not None and not os.path.abspath(loaded.__file__).startswith(PACKAGE_DIR):
        raise RuntimeError(f"another locust package is imported already: {loaded.__file__}")


def reset():
    calls.clear()


def calls_of(name):
    """The argument tuples of every call of ``name``."""
    return [args for function, args in calls if function == name]


def record(request_type, name, response_time, response_length, error):
    calls.append(("record", (request_type, name, response_time, response_length, error)))


def log(levelno, logger_name, message):
    calls.append(("log", (levelno, logger_name, message)))


def quit():
    calls.append(("quit", ()))


def stop():
    calls.append(("stop", ()))


def sleep(seconds):
    """Records the sleep without sleeping."""
    calls.append(("sleep", (seconds,)))


def current_user():
    return None


def session():
    raise RuntimeError("session() can only be called from a running user")

