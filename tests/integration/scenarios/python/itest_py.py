"""Helpers the locustfiles of test_python.py import (their folder is on sys.path, as in Locust).

log(line): appends a line to the file named by $PY_LOG (the test reads it).
mark(name): records a request of type "MARK" named `name` through events.request.fire, so that
it shows in the CSV files with an exact count.
"""

import itertools
import os
import time

from locust import events

_ids = itertools.count(1)


def next_id():
    return next(_ids)


def log(line):
    path = os.environ.get("PY_LOG")
    if path:
        with open(path, "a") as file:
            file.write(f"{line}\n")


def log_time(line):
    log(f"{time.monotonic():.6f} {line}")


def mark(name, exception=None):
    events.request.fire(request_type="MARK", name=name, response_time=1, response_length=0,
                        exception=exception, context={})
