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



# --- HTTP: a native Session and Response, and request() -----------------------------------------
# Added for the clients/fasthttp tests. ``request`` records each call's arguments in ``sent``
# (a dict per request) and answers with ``respond(call)`` (a FakeResponse); ``FakeSession()``
# stands for ``session()`` (tests patch ``session`` with ``use_session``).

sent = []


def _default_respond(call):
    return FakeResponse(url=call["url"])


respond = _default_respond


class FakeSession:
    """The native Session: a cookie jar of (name, value, domain, path) and default headers."""

    def __init__(self, headers=(("User-Agent", "hornet"),)):
        self.jar = []
        self.default_headers = list(headers)

    def cookies(self):
        return list(self.jar)

    def set_cookie(self, name, value, domain="", path="/"):
        self.jar = [c for c in self.jar if (c[0], c[2], c[3]) != (name, domain, path)]
        self.jar.append((name, value, domain, path))

    def clear_cookies(self):
        self.jar = []

    def headers(self):
        return list(self.default_headers)

    def set_headers(self, pairs):
        self.default_headers = list(pairs)


class FakeResponse:
    """The native Response. ``outcome`` records success()/failure(text)/report()/discard()
    calls of a catch_response request (the contract's methods)."""

    def __init__(self, status_code=200, reason="OK", error="", url="http://example.com/",
                 headers=(), content=b"", elapsed=0.25, request_method="GET", request_url=None,
                 request_headers=(), request_body=None, catch_response=False):
        self.status_code = status_code
        self.reason = reason
        self.error = error
        self.url = url
        self.headers = list(headers)
        self.content = content
        self.elapsed = elapsed
        self.request_method = request_method
        self.request_url = request_url  # None: request() sets the URL requested
        self.request_headers = list(request_headers)
        self.request_body = request_body
        self.catch_response = catch_response
        self.outcome = []

    def _pending(self, what):
        if not self.catch_response:
            raise RuntimeError(f"{what}() needs a request made with catch_response=True")

    def success(self):
        self._pending("success")
        self.outcome.append(("success",))

    def failure(self, text):
        self._pending("failure")
        self.outcome.append(("failure", text))

    def report(self):
        self._pending("report")
        self.outcome.append(("report",))

    def discard(self):
        self.outcome.append(("discard",))


def request(session, method, url, name, headers, body, auth, timeout, allow_redirects,
            catch_response, cookies):
    call = dict(session=session, method=method, url=url, name=name, headers=headers, body=body,
                auth=auth, timeout=timeout, allow_redirects=allow_redirects,
                catch_response=catch_response, cookies=cookies)
    sent.append(call)
    response = respond(call)
    response.catch_response = catch_response
    response.request_method = method
    if response.request_url is None:
        response.request_url = url
    response.request_headers = list(headers or ())
    response.request_body = body
    return response


# --- A loop on real greenlets: spawn, park, wake, kill and a suspending sleep -------------------
# Added for the gevent shim tests. ``Loop().run(main)`` runs ``main`` in a greenlet with the
# contract's primitives active (module functions ``spawn``/``park``/``wake``/``kill``, and
# ``sleep`` patched to suspend), on virtual time: sleeping advances ``loop.now`` without
# waiting. ``loop.trace`` may be appended to by the tests.

import heapq as _heapq  # noqa: E402
import itertools as _itertools  # noqa: E402

import greenlet as _greenlet  # noqa: E402

_loop = None


class Loop:
    def __init__(self):
        self.now = 0.0
        self._ready = []  # (greenlet, method, value): method "switch" or "throw"
        self._timers = []  # (time, seq, greenlet)
        self._seq = _itertools.count()
        self._parked = set()
        self._sleeping = {}
        self.trace = []

    # The contract's primitives.
    def spawn(self, function, args, kwargs=None):
        def start():
            function(*args, **(kwargs or {}))

        child = _greenlet.greenlet(start, parent=self._hub)
        self._ready.append((child, "switch", None))
        return child

    def sleep(self, seconds):
        me = _greenlet.getcurrent()
        if me is self._hub:
            raise RuntimeError("sleep() on the hub")
        token = next(self._seq)
        self._sleeping[me] = token
        _heapq.heappush(self._timers, (self.now + float(seconds), token, me))
        self._hub.switch()

    def park(self):
        me = _greenlet.getcurrent()
        if me is self._hub:
            raise RuntimeError("park() can only be called from a running user")
        self._parked.add(me)
        return self._hub.switch()

    def wake(self, target, value=None):
        if target not in self._parked:
            raise RuntimeError("wake(): the greenlet is not parked")
        self._parked.discard(target)
        self._ready.append((target, "switch", value))

    def kill(self, target, exception):
        if target.dead:
            raise RuntimeError("kill(): the greenlet has ended")
        self._parked.discard(target)
        self._sleeping.pop(target, None)
        self._ready.append((target, "throw", exception))

    # Running.
    def run(self, main, *args):
        """Runs ``main(*args)`` and every greenlet it spawns until none is left; returns
        ``main``'s value (raises its exception)."""
        global _loop, sleep
        outcome = {}

        def body():
            try:
                outcome["value"] = main(*args)
            except BaseException as e:  # noqa: BLE001 (handed to the caller)
                outcome["error"] = e

        saved_sleep, _loop, sleep = sleep, self, self.sleep
        self._hub = _greenlet.getcurrent()
        try:
            self.spawn(body, ())
            while self._ready or self._timers:
                if not self._ready:
                    when, token, sleeper = _heapq.heappop(self._timers)
                    if self._sleeping.get(sleeper) != token:
                        continue  # killed while sleeping
                    del self._sleeping[sleeper]
                    self.now = max(self.now, when)
                    self._ready.append((sleeper, "switch", None))
                target, method, value = self._ready.pop(0)
                if target.dead:
                    continue
                if method == "switch":
                    target.switch(value) if target else target.switch()
                else:
                    target.throw(value)
        finally:
            _loop, sleep = None, saved_sleep
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")


def _running_loop(what):
    if _loop is None:
        raise RuntimeError(f"{what}() can only be called from a running user")
    return _loop


def spawn(function, args, kwargs=None):
    return _running_loop("spawn").spawn(function, args, kwargs)


def park():
    return _running_loop("park").park()


def wake(greenlet, value=None):
    return _running_loop("wake").wake(greenlet, value)


def kill(greenlet, exception):
    return _running_loop("kill").kill(greenlet, exception)
