"""The waiting primitive the shim is built on: greenlets parked and woken on Hornet's loop.

Every blocking call of this package comes down to ``park(timeout)``: the calling greenlet
suspends (``_hornet.park``) until ``wake(greenlet, value)`` is called for it (by whoever it waits
for) or the timeout passes (a helper greenlet sleeping on Hornet's loop wakes it). A greenlet is
woken at most once per park: each park has its own token, so a late timer or a second waker
finds nothing to wake.
"""

import _hornet
from greenlet import GreenletExit, getcurrent

TIMED_OUT = object()

# greenlet -> the token of its current park (present while parked and not yet woken).
_parked = {}


def park(timeout=None):
    """Suspends the calling greenlet until woken; returns the wake value, or TIMED_OUT."""
    me = getcurrent()
    token = object()
    _parked[me] = token
    timer = None
    try:
        if timeout is not None:
            timer = _hornet.spawn(_expire, (me, token, max(float(timeout), 0.0)), {})
        value = _hornet.park()
    finally:
        if _parked.get(me) is token:
            del _parked[me]
    if timer is not None and value is not TIMED_OUT:
        cancel(timer)
    return value


def cancel(timer):
    """Ends a helper greenlet early (a timer no longer needed), if it is still there."""
    try:
        _hornet.kill(timer, GreenletExit())
    except RuntimeError:
        pass  # it has ended


def _expire(greenlet, token, seconds):
    _hornet.sleep(seconds)
    if _parked.get(greenlet) is token:
        wake(greenlet, TIMED_OUT)


def wake(greenlet, value=None):
    """Resumes a greenlet parked by ``park`` with ``value``; False if it is not parked (it
    timed out, was woken already, or was killed)."""
    if _parked.pop(greenlet, None) is None:
        return False
    _hornet.wake(greenlet, value)
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
            self._parked.remove(greenlet)
            if wake(greenlet, True):
                woken += 1
        return woken

    def __len__(self):
        return len(self._parked)
