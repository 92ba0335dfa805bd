"""FastHttpUser: Locust's geventhttpclient-based user, on Hornet's engine.

In Locust, FastHttpUser trades requests' conveniences for speed. In Hornet both users send
through the same native engine, so FastHttpSession is HttpSession (locust.clients) with
FastHttpSession's signature and semantics (Locust 2.12, geventhttpclient 2.0):

- ``request(method, url, name=None, data=None, catch_response=False, stream=False,
  headers=None, auth=None, json=None, allow_redirects=True, context={}, params=None,
  files=None, timeout=None)``; statistics are named ``name or url`` (the URL as passed, not
  its path); ``data`` may be a dict (form-encoded without doseq, Content-Type
  ``application/x-www-form-urlencoded; charset=utf-8``), a str (``text/plain; charset=utf-8``)
  or bytes (``application/octet-stream``), unless ``headers`` set a Content-Type; ``json``
  (used when ``data`` is empty) also sets ``Accept: application/json``. ``timeout`` is Hornet's
  addition (default: the user's ``network_timeout``); another keyword is a TypeError (in
  Locust it would become a form field). ``stream=True`` is accepted; the engine has read the
  whole body first.
- FastResponse: ``text`` is None without a response and decoded with the Content-Type's
  ``charset=`` (else UTF-8); ``url`` is the URL requested (Locust's deviation from requests);
  ``error`` is the transport error, or for a 4xx/5xx status requests' HTTPError with Hornet's
  failure text (Locust has geventhttpclient's BadStatusCode there); ``raise_for_status()``
  raises ``error``.
- ``rest()`` / ``rest_()`` (Locust 2.13's, on the user and on the session): a JSON request in a
  ``with`` block, ``.js`` the parsed body, Locust's automatic failure texts.

FastHttpUser's class attributes (network_timeout, connection_timeout, max_redirects,
max_retries, insecure, concurrency, client_pool, ssl_context_factory) are accepted.
``network_timeout`` is each request's timeout; Hornet's settings decide the rest: the connect
timeout (--connect-timeout), certificate checks (verified unless --insecure, whatever
``insecure`` says), redirects (followed as requests follows them), no retries, no client pool.
"""

import json as _json
import re
import time
import traceback
from contextlib import contextmanager
from urllib.parse import urlencode

import requests

from .. import clients
from ..exception import LocustError
from ..user.users import User

__all__ = ["FastHttpUser", "FastHttpSession", "FastResponse", "ResponseContextManager",
           "RestResponseContextManager"]

_FAST_KEYWORDS = frozenset(("params", "files", "timeout"))
_callstack_regex = re.compile(r'  File "(\/.[^"]*)", line (\d*),(.*)')


def _has(headers, name):
    """Whether ``headers`` (a plain dict) has ``name`` as Locust checks it: exact or lower."""
    return name in headers or name.lower() in headers


class FastResponse(clients.Response):
    """A FastHttpUser's response (Locust's FastResponse)."""

    def __init__(self, native):
        super().__init__(native)
        self.url = native.request_url
        if self.error is None and self.status_code >= 400:
            try:
                clients.Response.raise_for_status(self)
            except requests.exceptions.HTTPError as e:
                self.error = e

    @property
    def encoding(self):
        """The Content-Type's ``charset=``, else "utf-8" (settable, before reading ``text``)."""
        if not self._encoding_known:
            charset = self.headers.get("content-type", "").partition("charset=")[2]
            self._encoding = charset.split(";")[0].strip().strip('"') or "utf-8"
            self._encoding_known = True
        return self._encoding

    @encoding.setter
    def encoding(self, value):
        self._encoding = value
        self._encoding_known = True

    @property
    def text(self):
        if self.content is None:
            return None
        return str(self.content, self.encoding, errors="replace")

    def raise_for_status(self):
        """Raises ``error`` (no response, or a 4xx/5xx status)."""
        if self.error is not None:
            raise self.error


class ResponseContextManager(clients.ResponseContextManager, FastResponse):
    """catch_response for FastHttpUser (Locust's fasthttp.ResponseContextManager)."""


class RestResponseContextManager(ResponseContextManager):
    """What ``rest()`` yields: ``js`` is the parsed JSON body (None when the body is empty or
    not JSON)."""

    js = None


class FastHttpSession(clients.HttpSession):
    """A FastHttpUser's client (Locust's FastHttpSession): see the module's documentation."""

    response_class = FastResponse
    context_manager_class = RestResponseContextManager

    def __init__(self, environment, base_url, user, insecure=True, client_pool=None,
                 ssl_context_factory=None, **kwargs):
        events = getattr(environment, "events", None)
        super().__init__(base_url, getattr(events, "request", None), user)
        self.environment = environment
        self.insecure = insecure
        self.network_timeout = kwargs.get("network_timeout")
        self.cookiejar = self.cookies

    def request(self, method, url, name=None, data=None, catch_response=False, stream=False,
                headers=None, auth=None, json=None, allow_redirects=True, context={}, **kwargs):
        """Sends a request; returns a FastResponse (with ``catch_response=True`` a
        ResponseContextManager, to use in a ``with`` block)."""
        if not (kwargs or headers or data or json is not None):
            # The common request: nothing to encode or merge.
            return self._send(method, clients.prepare_url(self._build_url(url)), name or url,
                              None, None, auth or self.auth, self.network_timeout,
                              allow_redirects, catch_response, None, context)
        unknown = kwargs.keys() - _FAST_KEYWORDS
        if unknown:
            raise TypeError(f"FastHttpSession.request() got unexpected keyword argument(s): "
                            f"{', '.join(sorted(unknown))}")
        built_url = self._build_url(url)
        headers = dict(headers or {})
        if not data and json is not None:
            data = _json.dumps(json)
            if not _has(headers, "Content-Type"):
                headers["Content-Type"] = "application/json"
            if not _has(headers, "Accept"):
                headers["Accept"] = "application/json"
        body, content_type = self._body(data, kwargs.get("files"))
        if content_type and not _has(headers, "Content-Type"):
            headers["Content-Type"] = content_type
        timeout = kwargs.get("timeout", self.network_timeout)
        return self._send(method, clients.prepare_url(built_url, kwargs.get("params")),
                          name or url, clients._header_pairs(headers.items()) or None, body,
                          auth or self.auth, timeout, allow_redirects, catch_response, None,
                          context)

    @staticmethod
    def _body(data, files):
        """(body, default Content-Type) as geventhttpclient makes them."""
        if files:
            return clients.prepare_body(data, files)
        if not data:
            return None, None
        if isinstance(data, dict):
            return urlencode(data).encode(), "application/x-www-form-urlencoded; charset=utf-8"
        if isinstance(data, str):
            return data.encode("utf-8"), "text/plain; charset=utf-8"
        return bytes(data), "application/octet-stream"

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def head(self, url, **kwargs):
        return self.request("HEAD", url, **kwargs)

    def options(self, url, **kwargs):
        return self.request("OPTIONS", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)

    def post(self, url, data=None, **kwargs):
        return self.request("POST", url, data=data, **kwargs)

    def put(self, url, data=None, **kwargs):
        return self.request("PUT", url, data=data, **kwargs)

    def patch(self, url, data=None, **kwargs):
        return self.request("PATCH", url, data=data, **kwargs)

    @contextmanager
    def rest(self, method, url, headers=None, **kwargs):
        """A JSON request in a ``with`` block (Locust's FastHttpUser.rest).

        Defaults Content-Type and Accept to application/json, sets catch_response, yields a
        RestResponseContextManager whose ``js`` is the parsed body, and marks the request failed
        (with Locust's texts) when there was no response, the body is not JSON, an
        AssertionError or any other exception leaves the block (which then does not propagate).
        """
        headers = dict(headers or {})
        if not ("Content-Type" in headers or "content-type" in headers):
            headers["Content-Type"] = "application/json"
        if not ("Accept" in headers or "accept" in headers):
            headers["Accept"] = "application/json"
        with self.request(method, url, catch_response=True, headers=headers, **kwargs) as resp:
            resp.js = None
            if resp.content is None:
                resp.failure(str(resp.error))
            elif resp.text:
                try:
                    resp.js = resp.json()
                except ValueError as e:
                    resp.failure(f"Could not parse response as JSON. {resp.text[:250]}, "
                                 f"response code {resp.status_code}, error {e}")
            try:
                yield resp
            except AssertionError as e:
                if e.args:
                    if str(e.args[0]).endswith(","):
                        short_resp = resp.text[:200] if resp.text else resp.text
                        resp.failure(f"{e.args[0][:-1]}, response was {short_resp}")
                    else:
                        resp.failure(e.args[0])
                else:
                    resp.failure("Assertion failed")
            except Exception as e:
                error_lines = []
                for line in traceback.format_exc().split("\n"):
                    match = _callstack_regex.match(line)
                    if match:
                        filename = re.sub(r"/(home|Users/\w*)/", "~/", match.group(1))
                        error_lines.append(filename + ":" + match.group(2) + match.group(3))
                short_resp = resp.text[:200] if resp.text else resp.text
                resp.failure(f"{e.__class__.__name__}: {e} at {', '.join(error_lines)}. "
                             f"Response was {short_resp}")

    @contextmanager
    def rest_(self, method, url, name=None, **kwargs):
        """rest() with a ``_=<milliseconds>`` query parameter (to defeat caches), named
        ``url?_=...`` unless ``name`` is given (Locust's)."""
        separator = "&" if "?" in url else "?"
        if name is None:
            name = url + separator + "_=..."
        with self.rest(method, f"{url}{separator}_={int(time.time() * 1000)}", name=name,
                       **kwargs) as resp:
            yield resp


class FastHttpUser(User):
    """A User whose ``client`` is a FastHttpSession (Locust's FastHttpUser).

    The class attributes are Locust's; see the module's documentation for which Hornet honours.
    """

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
            raise LocustError(
                "You must specify the base host. Either in the host attribute in the User class, "
                "or on the command line using the --host option.")
        if not re.match(r"^https?://[^/]+", self.host, re.I):
            raise LocustError(
                f"Invalid host (`{self.host}`), must be a valid base URL. E.g. http://example.com")
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
        """See FastHttpSession.rest."""
        with self.client.rest(method, url, headers=headers, **kwargs) as resp:
            yield resp

    @contextmanager
    def rest_(self, method, url, name=None, **kwargs):
        """See FastHttpSession.rest_."""
        with self.client.rest_(method, url, name=name, **kwargs) as resp:
            yield resp
