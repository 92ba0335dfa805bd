"""gevent.pool on Hornet's loop: Group and Pool."""

from . import Greenlet, GreenletExit, joinall, killall
from .lock import Semaphore

__all__ = ["Group", "Pool"]


class Group:
    """A set of greenlets to start, wait for and kill together."""

    greenlet_class = Greenlet

    def __init__(self, *args):
        self.greenlets = set()
        for greenlet in (args[0] if len(args) == 1 and not isinstance(args[0], Greenlet) else args):
            self.add(greenlet)

    def __len__(self):
        return len(self.greenlets)

    def __contains__(self, greenlet):
        return greenlet in self.greenlets

    def __iter__(self):
        return iter(list(self.greenlets))

    def add(self, greenlet):
        self.greenlets.add(greenlet)
        greenlet.link(self.discard)

    def discard(self, greenlet):
        self.greenlets.discard(greenlet)

    def start(self, greenlet):
        self.add(greenlet)
        greenlet.start()

    def spawn(self, function, *args, **kwargs):
        greenlet = self.greenlet_class(function, *args, **kwargs)
        self.start(greenlet)
        return greenlet

    def join(self, timeout=None, raise_error=False):
        """Waits for every greenlet of the group; True if all finished."""
        joinall(list(self.greenlets), timeout=timeout, raise_error=raise_error)
        return not self.greenlets

    def kill(self, exception=GreenletExit, block=True, timeout=None):
        killall(list(self.greenlets), exception=exception, block=block, timeout=timeout)

    def killone(self, greenlet, exception=GreenletExit, block=True, timeout=None):
        if greenlet in self.greenlets:
            greenlet.kill(exception, block=block, timeout=timeout)

    def apply(self, function, args=None, kwds=None):
        return self.spawn(function, *(args or ()), **(kwds or {})).get()

    def apply_async(self, function, args=None, kwds=None, callback=None):
        greenlet = self.spawn(function, *(args or ()), **(kwds or {}))
        if callback is not None:
            greenlet.link_value(lambda g: callback(g.value))
        return greenlet

    def map(self, function, iterable):
        greenlets = [self.spawn(function, item) for item in iterable]
        return [greenlet.get() for greenlet in greenlets]

    def imap(self, function, *iterables):
        greenlets = [self.spawn(function, *items) for items in zip(*iterables)]
        for greenlet in greenlets:
            yield greenlet.get()

    def imap_unordered(self, function, *iterables):
        greenlets = [self.spawn(function, *items) for items in zip(*iterables)]
        pending = list(greenlets)
        while pending:
            done = joinall(pending, count=1)
            for greenlet in done:
                pending.remove(greenlet)
                yield greenlet.get()

    def full(self):
        return False

    def wait_available(self, timeout=None):
        return None


class Pool(Group):
    """A Group of at most ``size`` running greenlets: spawn() waits for a free slot."""

    def __init__(self, size=None, greenlet_class=None):
        super().__init__()
        if size is not None and size < 1:
            raise ValueError(f"Invalid size for pool (positive integer or None required): {size!r}")
        self.size = size
        if greenlet_class is not None:
            self.greenlet_class = greenlet_class
        self._slots = Semaphore(size) if size else None

    def full(self):
        return self.size is not None and len(self.greenlets) >= self.size

    def free_count(self):
        return float("inf") if self.size is None else max(0, self.size - len(self.greenlets))

    def wait_available(self, timeout=None):
        if self._slots is not None:
            return self._slots.wait(timeout)
        return None

    def add(self, greenlet):
        if self._slots is not None:
            self._slots.acquire()
        super().add(greenlet)

    def discard(self, greenlet):
        if greenlet in self.greenlets:
            super().discard(greenlet)
            if self._slots is not None:
                self._slots.release()
