"""The waiting primitives the shim is built on: greenlets parked and woken on Hornet's loop.

Every blocking call of this package comes down to ``park(timeout)``: the calling greenlet
suspends until ``wake(greenlet, value)`` is called for it (by whoever it waits for) or the
timeout passes. Both are Hornet's ``_hornet.park`` / ``_hornet.wake``; a timeout is a helper
greenlet sleeping on Hornet's loop.
"""

import _hornet
from greenlet import getcurrent

TIMED_OUT = object()


def park(timeout=None):
    """Suspends the calling greenlet until woken; returns the wake value, or TIMED_OUT."""
    if timeout is None:
        return _hornet.park()
    me = getcurrent()
    waiting = [True]

    def expire():
        _hornet.sleep(max(float(timeout), 0.0))
        if waiting[0]:
            wake(me, TIMED_OUT)

    _hornet.spawn(expire, ())
    try:
        return _hornet.park()
    finally:
        waiting[0] = False


def wake(greenlet, value=None):
    """Resumes a parked greenlet with ``value``; False if it is not parked (it timed out, or
    was woken already)."""
    try:
        _hornet.wake(greenlet, value)
    except RuntimeError:
        return False
    return True


class Waiters:
    """Greenlets waiting for one condition, woken in arrival order."""

    def __init__(self):
        self._parked = []

    def wait(self, timeout=None):
        """Parks the caller until notify; returns False on timeout."""
        me = getcurrent()
        self._parked.append(me)
        try:
            return park(timeout) is not TIMED_OUT
        finally:
            try:
                self._parked.remove(me)
            except ValueError:
                pass

    def notify(self, count=None):
        """Wakes ``count`` waiters (all by default); returns how many were woken."""
        woken = 0
        for greenlet in list(self._parked):
            if count is not None and woken >= count:
                break
            if wake(greenlet, True):
                self._parked.remove(greenlet)
                woken += 1
        return woken

    def __len__(self):
        return len(self._parked)
