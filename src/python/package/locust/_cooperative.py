"""time.sleep that cooperates: inside a user it suspends only that user (Hornet's loop).

Locust gets this from gevent's monkey-patching; Hornet's runtime calls
``install_cooperative_sleep()`` once, at load, which replaces ``time.sleep`` with
``cooperative_sleep``.
"""

import time

import _hornet

_original_sleep = time.sleep


def cooperative_sleep(seconds):
    """Sleeps ``seconds``: only the calling greenlet when Hornet drives it (a user, or a
    greenlet of ``_hornet.spawn``); elsewhere (module import, listeners on the control thread,
    a thread of the locustfile's own) the thread, as time.sleep."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    try:
        _hornet.sleep(float(seconds))
    except RuntimeError:
        # Not a greenlet Hornet can suspend (_hornet.sleep normally sleeps for real there).
        _original_sleep(seconds)


def install_cooperative_sleep():
    """Replaces ``time.sleep`` (and so ``from time import sleep`` done afterwards)."""
    if time.sleep is not cooperative_sleep:
        time.sleep = cooperative_sleep
