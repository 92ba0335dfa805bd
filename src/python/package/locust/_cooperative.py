"""time.sleep that cooperates: inside a user it suspends only that user (Hornet's loop).

Locust gets this from gevent's monkey-patching; Hornet replaces ``time.sleep`` once, at load,
with ``_hornet.sleep``, which sleeps for real outside a user (module import, listeners on the
control thread).
"""

import time

import _hornet

_original_sleep = time.sleep


def cooperative_sleep(seconds):
    """Sleeps ``seconds``: the calling user only, or the thread when not in a user."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _hornet.sleep(float(seconds))


cooperative_sleep.__doc__ = _original_sleep.__doc__


def install_cooperative_sleep():
    time.sleep = cooperative_sleep
