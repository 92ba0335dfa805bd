"""gevent.event on Hornet's loop: Event and AsyncResult."""

from . import Timeout
from ._hub import Waiters

__all__ = ["Event", "AsyncResult"]


class Event:
    """A flag greenlets wait for."""

    def __init__(self):
        self._flag = False
        self._waiters = Waiters()

    def is_set(self):
        return self._flag

    isSet = is_set
    ready = is_set

    def set(self):
        self._flag = True
        self._waiters.notify()

    def clear(self):
        self._flag = False

    def wait(self, timeout=None):
        """Waits until the flag is set; returns the flag (False on timeout)."""
        if not self._flag:
            self._waiters.wait(timeout)
        return self._flag


class AsyncResult:
    """A value (or an exception) one greenlet sets and others wait for."""

    def __init__(self):
        self.value = None
        self._exception = None
        self._ready = False
        self._waiters = Waiters()

    def ready(self):
        return self._ready

    def successful(self):
        return self._ready and self._exception is None

    @property
    def exception(self):
        return self._exception

    def set(self, value=None):
        self.value = value
        self._ready = True
        self._waiters.notify()

    def set_exception(self, exception, exc_info=None):
        self._exception = exception
        self._ready = True
        self._waiters.notify()

    def get(self, block=True, timeout=None):
        if not self._ready:
            if not block or not self._waiters.wait(timeout):
                raise Timeout()
        if self._exception is not None:
            raise self._exception
        return self.value

    def get_nowait(self):
        return self.get(block=False)

    def wait(self, timeout=None):
        if not self._ready:
            self._waiters.wait(timeout)
        return self.value

    def __call__(self, source):
        """As a link callback: takes a finished Greenlet's outcome."""
        if source.successful():
            self.set(source.value)
        else:
            self.set_exception(source.exception)
