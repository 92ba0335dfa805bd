"""FastHttpUser: Locust's geventhttpclient-based user, on Hornet's engine.

In Locust, FastHttpUser trades requests' conveniences for speed. In Hornet both users send
through the same native engine, so FastHttpSession is HttpSession with FastHttpSession's call
signature and defaults: statistics are named by the URL as passed (``name or url``), ``data``
may be a str, bytes or a dict (form-encoded), ``json`` also sets ``Accept``, and ``rest()``
gives RestResponseContextManager with ``.js``.

Class attributes of Locust's FastHttpUser (network_timeout, connection_timeout, max_redirects,
max_retries, insecure, concurrency, client_pool, ssl_context_factory) are accepted;
``network_timeout`` is each request's timeout, the others follow Hornet's own settings
(--connect-timeout, --insecure; redirects as requests follows them; no retries).
"""

import json as _json
import re
import traceback
from contextlib import contextmanager
from urllib.parse import urlencode

from ..clients import HttpSession, Response, ResponseContextManager
from ..user.users import User

__all__ = ["FastHttpUser", "FastHttpSession", "FastResponse", "RestResponseContextManager"]


class FastResponse(Response):
    """A FastHttpUser's response (Locust's FastResponse): the same attributes as HttpUser's."""


class FastResponseContextManager(ResponseContextManager, FastResponse):
    """catch_response for FastHttpUser (Locust's fasthttp.ResponseContextManager)."""


class RestResponseContextManager(FastResponseContextManager):
    """What ``rest()`` yields: a catch_response response with ``js``, the parsed JSON body (None
    when empty or not JSON)."""

    js = None


class FastHttpSession(HttpSession):
    """A FastHttpUser's client (Locust's FastHttpSession)."""

    _callstack_regex = re.compile(r'  File "(\/.[^"]*)", line (\d*),(.*)')
    _response_class = FastResponse
    _context_class = RestResponseContextManager

    def __init__(self, environment, base_url, user, insecure=True, client_pool=None,
                 ssl_context_factory=None, **kwargs):
        super().__init__(base_url, environment.events.request if environment else None, user)
        self.environment = environment
        self.insecure = insecure
        self._timeout_default = kwargs.get("network_timeout")

    def request(self, method, url, name=None, data=None, catch_response=False, stream=False,
                headers=None, auth=None, json=None, allow_redirects=True, context={}, **kwargs):
        """Sends a request (Locust's FastHttpSession.request); returns a FastResponse, or a
        context manager with ``catch_response=True``."""
        headers = dict(headers or {})
        if not data and json is not None:
            data = _json.dumps(json)
            if "Content-Type" not in headers and "content-type" not in headers:
                headers["Content-Type"] = "application/json"
            if "Accept" not in headers and "accept" not in headers:
                headers["Accept"] = "application/json"
        elif isinstance(data, dict):
            data = urlencode(data)
            if "Content-Type" not in headers and "content-type" not in headers:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self._timeout_default is not None:
            kwargs.setdefault("timeout", self._timeout_default)
        payload = kwargs.pop("payload", None)
        if data is None and payload is not None:
            data = payload.encode("utf-8") if isinstance(payload, str) else payload
        return super().request(
            method, url, name=name or url, catch_response=catch_response, context=context,
            data=data, headers=headers or None, auth=auth, allow_redirects=allow_redirects,
            **kwargs,
        )

    @contextmanager
    def rest(self, method, url, headers=None, **kwargs):
        """A JSON request as a context manager yielding RestResponseContextManager: ``.js``
        is the parsed body; a body that is not JSON, a failed request, an AssertionError or any
        exception in the block marks the request failed with Locust's texts."""
        headers = dict(headers or {})
        if not ("Content-Type" in headers or "content-type" in headers):
            headers["Content-Type"] = "application/json"
        if not ("Accept" in headers or "accept" in headers):
            headers["Accept"] = "application/json"
        with self.request(method, url, headers=headers, catch_response=True, **kwargs) as r:
            resp = r
            resp.js = None
            if resp.content is None:
                resp.failure(str(resp.error))
            elif resp.text:
                try:
                    resp.js = resp.json()
                except ValueError as e:
                    resp.failure(
                        f"Could not parse response as JSON. {resp.text[:250]}, response code "
                        f"{resp.status_code}, error {e}"
                    )
            try:
                yield resp
            except AssertionError as e:
                if e.args:
                    if e.args[0].endswith(","):
                        short_resp = resp.text[:200] if resp.text else resp.text
                        resp.failure(f"{e.args[0][:-1]}, response was {short_resp}")
                    else:
                        resp.failure(e.args[0])
                else:
                    resp.failure("Assertion failed")
            except Exception as e:
                error_lines = []
                for line in traceback.format_exc().split("\n"):
                    m = self._callstack_regex.match(line)
                    if m:
                        filename = re.sub(r"/(home|Users/\w*)/", "~/", m.group(1))
                        error_lines.append(filename + ":" + m.group(2) + m.group(3))
                short_resp = resp.text[:200] if resp.text else resp.text
                resp.failure(
                    f"{e.__class__.__name__}: {e} at {', '.join(error_lines)}. Response was "
                    f"{short_resp}"
                )

    def rest_(self, method, url, name=None, **kwargs):
        """Locust's older spelling of rest()."""
        return self.rest(method, url, name=name, **kwargs)


class FastHttpUser(User):
    """A User whose ``client`` is a FastHttpSession (Locust's FastHttpUser)."""

    network_timeout = 60.0
    connection_timeout = 60.0
    max_redirects = 5
    max_retries = 1
    insecure = True
    concurrency = 10
    client_pool = None
    ssl_context_factory = None
    abstract = True
    _hornet_client = "fast"

    def __init__(self, environment):
        super().__init__(environment)
        if self.host is None:
            from ..exception import LocustError

            raise LocustError(
                "You must specify the base host. Either in the host attribute in the User class, "
                "or on the command line using the --host option."
            )
        self.client = FastHttpSession(
            self.environment,
            base_url=self.host,
            network_timeout=self.network_timeout,
            connection_timeout=self.connection_timeout,
            max_redirects=self.max_redirects,
            max_retries=self.max_retries,
            insecure=self.insecure,
            concurrency=self.concurrency,
            user=self,
            client_pool=self.client_pool,
            ssl_context_factory=self.ssl_context_factory,
        )

    @contextmanager
    def rest(self, method, url, headers=None, **kwargs):
        with self.client.rest(method, url, headers=headers, **kwargs) as resp:
            yield resp
