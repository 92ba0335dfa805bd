"""gevent.lock on Hornet's loop: Semaphore, BoundedSemaphore, DummySemaphore, RLock."""

from greenlet import getcurrent

from ._hub import Waiters

__all__ = ["Semaphore", "BoundedSemaphore", "DummySemaphore", "RLock"]


class Semaphore:
    """A counter greenlets wait on: acquire() takes one (waiting while none is left),
    release() gives one back."""

    def __init__(self, value=1, hub=None):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self.counter = value
        self._waiters = Waiters()

    def locked(self):
        return self.counter <= 0

    def ready(self):
        return self.counter > 0

    def acquire(self, blocking=True, timeout=None):
        """Takes one; False when not ``blocking`` and none is left, or on timeout."""
        while self.counter <= 0:
            if not blocking:
                return False
            if not self._waiters.wait(timeout):
                return False
        self.counter -= 1
        return True

    def release(self):
        self.counter += 1
        self._waiters.notify(1)
        return self.counter

    def wait(self, timeout=None):
        """Waits until one is available without taking it; returns the counter."""
        while self.counter <= 0:
            if not self._waiters.wait(timeout):
                break
        return self.counter

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class BoundedSemaphore(Semaphore):
    """A Semaphore that refuses to be released above its initial value."""

    def __init__(self, value=1, hub=None):
        super().__init__(value)
        self._initial = value

    def release(self):
        if self.counter >= self._initial:
            raise ValueError("Semaphore released too many times")
        return super().release()


class DummySemaphore:
    """Never blocks."""

    def __init__(self, value=None):
        self.counter = value

    def locked(self):
        return False

    def acquire(self, blocking=True, timeout=None):
        return True

    def release(self):
        pass

    def wait(self, timeout=None):
        return 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


class RLock:
    """A lock its owner may take again."""

    def __init__(self, hub=None):
        self._block = Semaphore(1)
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=None):
        me = getcurrent()
        if self._owner is me:
            self._count += 1
            return True
        if not self._block.acquire(blocking, timeout):
            return False
        self._owner = me
        self._count = 1
        return True

    def release(self):
        if self._owner is not getcurrent():
            raise RuntimeError("cannot release un-acquired lock")
        self._count -= 1
        if self._count == 0:
            self._owner = None
            self._block.release()

    def locked(self):
        return self._block.locked()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


Lock = BoundedSemaphore
