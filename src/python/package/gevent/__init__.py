"""gevent, as Locust's examples use it, on Hornet's event loop.

Hornet runs a locustfile's users as greenlets on its own loop (not gevent's hub), so this
package replaces gevent inside Hornet, built only on ``_hornet.spawn/park/wake/kill/sleep``:
``spawn``, ``spawn_later``, ``sleep``, ``idle``, ``joinall``, ``wait``, ``killall``,
``getcurrent``, ``Greenlet``, ``GreenletExit``, ``Timeout``, ``with_timeout`` and the modules
``gevent.lock``, ``gevent.event``, ``gevent.pool``, ``gevent.queue``, ``gevent.timeout`` and
``gevent.monkey`` (its patch functions do nothing: requests go through Hornet's engine and
``time.sleep`` already cooperates). Any other name raises an AttributeError naming it. These
calls suspend, so they work only in a greenlet Hornet drives (a user's task, on_start/on_stop,
or a greenlet spawned here), except ``sleep``, which elsewhere sleeps for real. Code that blocks
in C (a socket library of its own) blocks every user of the process, as it does under Locust
without monkey-patching. ``getcurrent()`` is the raw greenlet, not a ``Greenlet``.
"""

import _hornet
from greenlet import GreenletExit, getcurrent

from ._hub import Waiters, cancel

__all__ = ["Greenlet", "GreenletExit", "Timeout", "getcurrent", "idle", "joinall", "killall",
           "sleep", "spawn", "spawn_later", "wait", "with_timeout"]

version_info = (22, 10, 2, "final", 0)
__version__ = "22.10.2"


def sleep(seconds=0, ref=True):
    """Suspends the calling greenlet for ``seconds`` (0: lets the others run)."""
    _hornet.sleep(float(seconds))


def idle(priority=0):
    _hornet.sleep(0.0)


class Greenlet:
    """A function run in its own greenlet on Hornet's loop (gevent.Greenlet)."""

    def __init__(self, run=None, *args, **kwargs):
        if run is not None:
            self._run = run
        self.args = args
        self.kwargs = kwargs
        self.value = None
        self._exception = None
        self._started = False
        self._running = False
        self._dead = False
        self._greenlet = None
        self._joiners = Waiters()
        self._links = []

    def _run(self):
        return None

    @classmethod
    def spawn(cls, *args, **kwargs):
        greenlet = cls(*args, **kwargs)
        greenlet.start()
        return greenlet

    @classmethod
    def spawn_later(cls, seconds, *args, **kwargs):
        greenlet = cls(*args, **kwargs)
        greenlet.start_later(seconds)
        return greenlet

    def start(self):
        if not self._started:
            self._started = True
            self._greenlet = _hornet.spawn(self._bootstrap, (), {})

    def start_later(self, seconds):
        if not self._started:
            self._started = True
            self._greenlet = _hornet.spawn(self._bootstrap, (seconds,), {})

    def _bootstrap(self, delay=None):
        if self._dead:
            return
        try:
            if delay:
                _hornet.sleep(float(delay))
                if self._dead:
                    return
            self._running = True
            self.value = self._run(*self.args, **self.kwargs)
        except GreenletExit as e:
            self.value = e
        except BaseException as e:  # kept for get()/join(raise_error)
            self._exception = e
        finally:
            self._finish()

    def _finish(self):
        self._dead = True
        self._running = False
        self._joiners.notify()
        for callback in list(self._links):
            Greenlet.spawn(callback, self)

    # -- state ----------------------------------------------------------------------------------
    @property
    def exception(self):
        return self._exception

    @property
    def dead(self):
        return self._dead

    def ready(self):
        return self._dead

    def successful(self):
        return self._dead and self._exception is None

    @property
    def started(self):
        return self._started

    def __bool__(self):
        return self._started and not self._dead

    # -- waiting --------------------------------------------------------------------------------
    def join(self, timeout=None):
        if not self._dead:
            self._joiners.wait(timeout)

    def get(self, block=True, timeout=None):
        if not self._dead:
            if not block:
                raise Timeout._timeout_error()
            if not self._joiners.wait(timeout):
                raise Timeout._timeout_error()
        if self._exception is not None:
            raise self._exception
        return self.value

    def kill(self, exception=GreenletExit, block=True, timeout=None):
        """Raises ``exception`` in the greenlet (at once if it has not run yet)."""
        if self._dead:
            return
        error = exception() if isinstance(exception, type) else exception
        if not self._running or self._greenlet is None:
            # Not started, or waiting to start: it never runs.
            self.value = error if isinstance(error, GreenletExit) else None
            if not isinstance(error, GreenletExit):
                self._exception = error
            self._finish()
            return
        if self._greenlet is getcurrent():
            raise error
        _hornet.kill(self._greenlet, error)
        if block:
            self.join(timeout)

    def link(self, callback):
        if self._dead:
            Greenlet.spawn(callback, self)
        else:
            self._links.append(callback)

    def link_value(self, callback):
        self.link(lambda g: callback(g) if g.successful() else None)

    def link_exception(self, callback):
        self.link(lambda g: callback(g) if not g.successful() else None)

    def rawlink(self, callback):
        self.link(callback)

    def unlink(self, callback):
        try:
            self._links.remove(callback)
        except ValueError:
            pass

    def __repr__(self):
        name = getattr(self._run, "__name__", "?")
        state = "dead" if self._dead else ("started" if self._started else "new")
        return f"<Greenlet {name} {state}>"


def spawn(function, *args, **kwargs):
    """Starts ``function(*args, **kwargs)`` in a new greenlet; returns its Greenlet."""
    return Greenlet.spawn(function, *args, **kwargs)


def spawn_later(seconds, function, *args, **kwargs):
    return Greenlet.spawn_later(seconds, function, *args, **kwargs)


def joinall(greenlets, timeout=None, raise_error=False, count=None):
    """Waits for the greenlets; returns those that finished."""
    greenlets = list(greenlets)
    done = []
    waiter = Waiters()

    def one_done(_):
        waiter.notify()

    for greenlet in greenlets:
        greenlet.link(one_done)
    try:
        while True:
            done = [g for g in greenlets if g.ready()]
            if len(done) == len(greenlets) or (count is not None and len(done) >= count):
                break
            if not waiter.wait(timeout):
                break
    finally:
        for greenlet in greenlets:
            greenlet.unlink(one_done)
    if raise_error:
        for greenlet in done:
            if greenlet.exception is not None:
                raise greenlet.exception
    return done


def wait(objects=None, timeout=None, count=None):
    if objects is None:
        raise AttributeError("gevent.wait() without objects is not supported by Hornet")
    return joinall(objects, timeout=timeout, count=count)


def killall(greenlets, exception=GreenletExit, block=True, timeout=None):
    greenlets = list(greenlets)
    for greenlet in greenlets:
        greenlet.kill(exception, block=False)
    if block:
        joinall(greenlets, timeout=timeout)


class Timeout(BaseException):
    """Raises itself (or ``exception``) in the greenlet that started it after ``seconds``.

    As gevent's: a context manager (``with Timeout(2): ...``; ``exception=False`` makes the
    with-block swallow its own expiry), or ``start()`` / ``cancel()``; ``seconds=None`` never
    expires. A helper greenlet sleeps on Hornet's loop and raises it with ``_hornet.kill``.
    """

    def __init__(self, seconds=None, exception=None, ref=True, priority=-1):
        super().__init__(seconds)
        self.seconds = seconds
        self.exception = exception
        self._armed = None  # the token of the pending expiry
        self._timer = None  # the greenlet that will raise it

    @classmethod
    def _timeout_error(cls):
        return cls()

    @classmethod
    def start_new(cls, timeout=None, exception=None, ref=True):
        if isinstance(timeout, Timeout):
            timeout.start()
            return timeout
        timeout = cls(timeout, exception)
        timeout.start()
        return timeout

    def start(self):
        if self.seconds is None or self._armed is not None:
            return
        token = self._armed = object()
        self._timer = _hornet.spawn(self._expire, (getcurrent(), token), {})

    def _expire(self, target, token):
        _hornet.sleep(max(float(self.seconds), 0.0))
        if self._armed is not token:
            return  # cancelled (and maybe started again)
        self._armed = self._timer = None
        if self.exception is None or self.exception is False:
            error = self
        elif isinstance(self.exception, type):
            error = self.exception()
        elif isinstance(self.exception, BaseException):
            error = self.exception
        else:
            error = Timeout(self.seconds, self.exception)
        try:
            _hornet.kill(target, error)
        except RuntimeError:
            pass  # the greenlet has ended

    @property
    def pending(self):
        return self._armed is not None

    def cancel(self):
        self._armed = None
        timer, self._timer = self._timer, None
        if timer is not None and timer is not getcurrent():
            cancel(timer)

    def close(self):
        self.cancel()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, typ, value, tb):
        self.cancel()
        if value is self and self.exception is False:
            return True
        return None

    def __str__(self):
        if self.seconds is None:
            return ""
        text = f"{self.seconds} second{'s' if self.seconds != 1 else ''}"
        if self.exception is False:
            return text + " (silent)"
        if self.exception is not None:
            return f"{text}: {self.exception}"
        return text


def with_timeout(seconds, function, *args, **kwargs):
    """``function(*args, **kwargs)``, or raises Timeout after ``seconds``; with the keyword
    ``timeout_value``, returns it instead."""
    has_value = "timeout_value" in kwargs
    timeout_value = kwargs.pop("timeout_value", None)
    timeout = Timeout.start_new(seconds)
    try:
        return function(*args, **kwargs)
    except Timeout as t:
        if t is timeout and has_value:
            return timeout_value
        raise
    finally:
        timeout.cancel()


def __getattr__(name):
    raise AttributeError(f"gevent.{name} is not supported by Hornet's embedded runtime")
