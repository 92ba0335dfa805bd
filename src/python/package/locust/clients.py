"""HttpUser's client: ``HttpSession``, with requests' semantics on Hornet's HTTP engine.

A request's arguments are prepared in Python exactly as requests prepares them (URL with
``params``, form/JSON/multipart bodies, headers, auth) and sent by Hornet's engine
(``_hornet.request``), which suspends the user's greenlet until the response arrives and records
the request in Hornet's statistics. What requests does and Hornet cannot (per-request ``verify``,
``cert``, ``proxies``, auth classes other than Basic) raises an error naming it.
"""

import datetime
import json as _json
import re
import time
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

import _hornet
import requests
from requests.auth import HTTPBasicAuth
from requests.cookies import RequestsCookieJar
from requests.models import PreparedRequest
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .event import error_text
from .exception import CatchResponseError, LocustError, ResponseError

absolute_http_url_regexp = re.compile(r"^https?://", re.I)

_REQUEST_KEYWORDS = frozenset(
    ("params", "data", "headers", "cookies", "files", "auth", "timeout", "allow_redirects",
     "proxies", "hooks", "stream", "verify", "cert", "json")
)

# Keywords that need no preparation when absent or None, and those that shape the request.
_PLAIN_KEYWORDS = frozenset(("allow_redirects", "timeout", "data", "json", "auth", "cookies"))
_BODY_KEYWORDS = ("params", "data", "files", "json", "headers")

# Hornet's failure texts name the exception requests would raise: the same class here.
_TRANSPORT_ERRORS = {
    "ConnectionRefusedError": requests.exceptions.ConnectionError,
    "ConnectionResetError": requests.exceptions.ConnectionError,
    "ConnectionError": requests.exceptions.ConnectionError,
    "RemoteDisconnected": requests.exceptions.ConnectionError,
    "ConnectTimeout": requests.exceptions.ConnectTimeout,
    "ReadTimeout": requests.exceptions.ReadTimeout,
    "Timeout": requests.exceptions.Timeout,
    "SSLError": requests.exceptions.SSLError,
    "TooManyRedirects": requests.exceptions.TooManyRedirects,
    "InvalidURL": requests.exceptions.InvalidURL,
    "MissingSchema": requests.exceptions.MissingSchema,
    "InvalidSchema": requests.exceptions.InvalidSchema,
    "InvalidHeader": requests.exceptions.InvalidHeader,
    "ContentDecodingError": requests.exceptions.ContentDecodingError,
    "ChunkedEncodingError": requests.exceptions.ChunkedEncodingError,
}


class _TransportError:
    """What Hornet recorded for a request that got no usable response: its text, as shown in
    the failures table, and the requests exception it stands for."""

    def __init__(self, text):
        self.text = text
        name = text.split("(", 1)[0]
        self.exception = _TRANSPORT_ERRORS.get(name, requests.exceptions.RequestException)(text)


class PreparedRequestInfo:
    """``response.request``: the request as sent (method, url, headers, body, path_url)."""

    def __init__(self, method, url, headers, body):
        self.method = method
        self.url = url
        self.headers = CaseInsensitiveDict(headers)
        self.body = body

    @property
    def path_url(self):
        parsed = urlparse(self.url)
        path = parsed.path or "/"
        return f"{path}?{parsed.query}" if parsed.query else path


class Response:
    """A response with requests' attributes, read lazily from Hornet's native response.

    ``status_code`` is 0 and ``error`` is the requests exception when no response came (refused,
    timed out, malformed), as Locust's LocustResponse.
    """

    def __init__(self, native):
        self._native = native
        self.status_code = native.status_code
        error = native.error
        # An HTTP status error is not a transport error: only a missing response sets .error.
        self._transport = _TransportError(error) if error and self.status_code == 0 else None
        self.error = self._transport.exception if self._transport else None
        self._headers = None
        self._cookies = None
        self._content = None
        self._encoding = None
        self._encoding_set = False
        self.url = native.url
        self.history = []
        self.connection = None

    # -- requests' attributes ---------------------------------------------------------------
    @property
    def reason(self):
        return self._native.reason

    @property
    def ok(self):
        try:
            self.raise_for_status()
        except requests.exceptions.RequestException:
            return False
        return True

    @property
    def headers(self):
        if self._headers is None:
            headers = CaseInsensitiveDict()
            for name, value in self._native.headers:
                if name in headers:
                    headers[name] = f"{headers[name]}, {value}"
                else:
                    headers[name] = value
            self._headers = headers
        return self._headers

    @property
    def content(self):
        if self.status_code == 0:
            return None
        if self._content is None:
            self._content = self._native.content
        return self._content

    @property
    def encoding(self):
        if not self._encoding_set:
            self._encoding = get_encoding_from_headers(self.headers)
            self._encoding_set = True
        return self._encoding

    @encoding.setter
    def encoding(self, value):
        self._encoding = value
        self._encoding_set = True

    @property
    def apparent_encoding(self):
        """requests guesses with chardet; Hornet assumes UTF-8 (no guessing)."""
        return "utf-8"

    @property
    def text(self):
        content = self.content
        if not content:
            return ""
        encoding = self.encoding or "utf-8"
        try:
            return str(content, encoding, errors="replace")
        except (LookupError, TypeError):
            return str(content, "utf-8", errors="replace")

    def json(self, **kwargs):
        """The body parsed as JSON; requests.exceptions.JSONDecodeError if it is not."""
        try:
            return _json.loads(self.text, **kwargs)
        except _json.JSONDecodeError as e:
            raise requests.exceptions.JSONDecodeError(e.msg, e.doc, e.pos) from None

    @property
    def cookies(self):
        """The cookies this response set (a RequestsCookieJar)."""
        if self._cookies is None:
            jar = RequestsCookieJar()
            host = urlparse(self.url).hostname or ""
            for name, value in self._native.cookies:
                jar.set(name, value, domain=host, path="/")
            self._cookies = jar
        return self._cookies

    @property
    def elapsed(self):
        return datetime.timedelta(seconds=self._native.elapsed)

    @property
    def request(self):
        native = self._native
        return PreparedRequestInfo(native.request_method, native.request_url,
                                   native.request_headers, native.request_body)

    @property
    def is_redirect(self):
        return "location" in self.headers and self.status_code in (301, 302, 303, 307, 308)

    @property
    def links(self):
        header = self.headers.get("link")
        return {} if not header else {
            link.get("rel") or link.get("url"): link for link in requests.utils.parse_header_links(header)
        }

    def iter_content(self, chunk_size=1, decode_unicode=False):
        data = self.text if decode_unicode else (self.content or b"")
        size = chunk_size or len(data) or 1
        for start in range(0, len(data), size):
            yield data[start:start + size]

    def iter_lines(self, chunk_size=512, decode_unicode=False, delimiter=None):
        data = self.text if decode_unicode else (self.content or b"")
        yield from (data.split(delimiter) if delimiter else data.splitlines())

    def close(self):
        pass

    def raise_for_status(self):
        """Raises the transport error, or requests' HTTPError for a 4xx/5xx status."""
        if self.error is not None:
            raise self.error
        reason = self.reason
        if 400 <= self.status_code < 500:
            message = f"{self.status_code} Client Error: {reason} for url: {self.url}"
        elif 500 <= self.status_code < 600:
            message = f"{self.status_code} Server Error: {reason} for url: {self.url}"
        else:
            return
        raise requests.exceptions.HTTPError(message, response=self)

    def success(self):
        raise LocustError(
            "If you want to change the state of the request, you must pass catch_response=True. "
            "See http://docs.locust.io/en/stable/writing-a-locustfile.html#validating-responses"
        )

    def failure(self, *args):
        self.success()

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"<Response [{self.status_code}]>"


class ResponseContextManager(Response):
    """A catch_response response: a ``with`` block decides whether it failed (Locust's).

    On leaving the block the request is recorded: as ``success()``/``failure()`` decided; a
    ResponseError raised in the block is a failure (and is swallowed); any other exception
    propagates and the request is not recorded (as Locust); otherwise the status decides.
    """

    _manual_result = None
    _entered = False

    def __init__(self, native, request_event, request_meta):
        super().__init__(native)
        self._request_event = request_event
        self.request_meta = request_meta

    def __enter__(self):
        self._entered = True
        return self

    def __exit__(self, exc, value, traceback):
        if self._manual_result is not None:
            if self._manual_result is True:
                self.request_meta["exception"] = None
                self._native.success()
            elif isinstance(self._manual_result, Exception):
                self.request_meta["exception"] = self._manual_result
                self._native.failure(error_text(self._manual_result))
            self._report_request()
            return exc is None
        if exc:
            if isinstance(value, ResponseError):
                self.request_meta["exception"] = value
                self._native.failure(error_text(value))
                self._report_request()
            else:
                # Locust does not record a request whose block raised undecided.
                self._native.discard()
                return False
        else:
            try:
                self.raise_for_status()
            except requests.exceptions.RequestException as e:
                self.request_meta["exception"] = e
            self._report_request()
        return True

    def _report_request(self):
        self._native.report()
        if self._request_event.has_listeners:
            self._request_event.fire_listeners_only(**self.request_meta)

    def success(self):
        """Records the request as a success (in a with-block)."""
        if not self._entered:
            raise LocustError(
                "Tried to set status on a request that has not yet been made. Make sure you use a "
                "with-block, like this:\n\nwith self.client.request(..., catch_response=True) as "
                "response:\n    response.success()"
            )
        self._manual_result = True

    def failure(self, exc):
        """Records the request as a failure; a non-exception is wrapped in CatchResponseError."""
        if not self._entered:
            raise LocustError(
                "Tried to set status on a request that has not yet been made. Make sure you use a "
                "with-block, like this:\n\nwith self.client.request(..., catch_response=True) as "
                "response:\n    response.failure(...)"
            )
        if not isinstance(exc, Exception):
            exc = CatchResponseError(exc)
        self._manual_result = exc


class SessionCookies:
    """``client.cookies``: the user's cookie jar in Hornet's engine, with the parts of requests'
    RequestsCookieJar locustfiles use."""

    def __init__(self, native):
        self._native = native

    def _all(self):
        return self._native.cookies()

    def get(self, name, default=None, domain=None, path=None):
        for cookie_name, value, cookie_domain, cookie_path in self._all():
            if cookie_name == name and (domain is None or domain == cookie_domain) and (
                    path is None or path == cookie_path):
                return value
        return default

    def __getitem__(self, name):
        value = self.get(name)
        if value is None:
            raise KeyError(f"name={name!r}, domain=None, path=None")
        return value

    def __setitem__(self, name, value):
        self.set(name, value)

    def __contains__(self, name):
        return any(cookie[0] == name for cookie in self._all())

    def set(self, name, value, domain=None, path=None, **kwargs):
        """Puts a cookie in the jar (for every host unless ``domain`` is given)."""
        if value is None:
            raise NotImplementedError("cookies.set(name, None) (removing one cookie) is not "
                                      "supported by Hornet; use cookies.clear()")
        self._native.set_cookie(str(name), str(value), domain or "", path or "/")

    def update(self, other):
        items = other.items() if hasattr(other, "items") else other
        for name, value in items:
            self.set(name, value)

    def clear(self, domain=None, path=None, name=None):
        if domain is not None or path is None and name is not None:
            raise NotImplementedError("cookies.clear() with arguments is not supported by Hornet")
        self._native.clear_cookies()

    def keys(self):
        return [cookie[0] for cookie in self._all()]

    def values(self):
        return [cookie[1] for cookie in self._all()]

    def items(self):
        return [(cookie[0], cookie[1]) for cookie in self._all()]

    def get_dict(self, domain=None, path=None):
        return {name: value for name, value, cookie_domain, cookie_path in self._all()
                if (domain is None or domain == cookie_domain) and (path is None or path == cookie_path)}

    def __iter__(self):
        for name, value, domain, path in self._all():
            cookie = requests.cookies.create_cookie(name, value, domain=domain, path=path)
            yield cookie

    def __len__(self):
        return len(self._all())

    def __repr__(self):
        return f"<SessionCookies {self.get_dict()!r}>"


def _pairs(mapping, what):
    """A dict, a list of pairs or a CookieJar as a list of (str, str)."""
    if mapping is None:
        return None
    if isinstance(mapping, (dict, CaseInsensitiveDict)) or hasattr(mapping, "items"):
        items = mapping.items()
    elif hasattr(mapping, "__iter__") and not isinstance(mapping, (str, bytes)):
        items = mapping
    else:
        raise TypeError(f"{what} must be a dict or a list of pairs, not {type(mapping).__name__}")
    out = []
    for item in items:
        if hasattr(item, "name") and hasattr(item, "value"):  # a Cookie from a CookieJar
            out.append((str(item.name), str(item.value)))
            continue
        name, value = item
        if value is None:
            continue
        out.append((name.decode() if isinstance(name, bytes) else str(name),
                    value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


class HttpSession:
    """The client of an HttpUser (Locust's HttpSession, a requests.Session).

    Requests take a path (joined to ``base_url``) or an absolute URL, plus Locust's ``name``
    (the statistics entry) and ``catch_response``; cookies and ``headers`` persist for the
    user.
    """

    # What requests return: a Response, or with catch_response a context manager.
    _response_class = Response
    _context_class = ResponseContextManager

    def __init__(self, base_url, request_event, user, *args, pool_manager=None, **kwargs):
        self._native = _hornet.session()
        self.base_url = base_url or ""
        self.request_event = request_event
        self.user = user
        self.request_name = None
        self.headers = CaseInsensitiveDict()
        self.cookies = SessionCookies(self._native)
        self.auth = None
        self.verify = True
        self.cert = None
        self.proxies = {}
        self.stream = False
        self.trust_env = True
        self.max_redirects = 30
        parsed = urlparse(self.base_url)
        if parsed.username and parsed.password:
            netloc = parsed.hostname
            if parsed.port:
                netloc += ":%d" % parsed.port
            self.base_url = urlunparse((parsed.scheme, netloc, parsed.path, parsed.params,
                                        parsed.query, parsed.fragment))
            self.auth = HTTPBasicAuth(parsed.username, parsed.password)

    def _build_url(self, path):
        """The URL for ``path``: as is when absolute, else appended to base_url (Locust's)."""
        if absolute_http_url_regexp.match(path):
            return path
        return f"{self.base_url}{path}"

    @contextmanager
    def rename_request(self, name):
        """Records the requests of the block under ``name``."""
        self.request_name = name
        try:
            yield
        finally:
            self.request_name = None

    def _auth_pair(self, auth):
        auth = auth if auth is not None else self.auth
        if auth is None:
            return None
        if isinstance(auth, tuple) and len(auth) == 2:
            return (str(auth[0]), str(auth[1]))
        if isinstance(auth, HTTPBasicAuth):
            username, password = auth.username, auth.password
            return (username.decode() if isinstance(username, bytes) else str(username),
                    password.decode() if isinstance(password, bytes) else str(password))
        raise NotImplementedError(
            f"auth={type(auth).__name__}: Hornet supports Basic auth ((user, password) or "
            "HTTPBasicAuth) only"
        )

    def _check_unsupported(self, kwargs):
        unknown = set(kwargs) - _REQUEST_KEYWORDS
        if unknown:
            raise TypeError(f"request() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        if kwargs.get("proxies"):
            raise NotImplementedError("proxies= is not supported by Hornet")
        if kwargs.get("cert") or self.cert:
            raise NotImplementedError("cert= (client certificates) is not supported by Hornet")
        if kwargs.get("hooks"):
            raise NotImplementedError("hooks= is not supported by Hornet")
        verify = kwargs.get("verify", self.verify)
        if verify is not True and verify is not None:
            if verify is False:
                options = getattr(getattr(self.user, "environment", None), "parsed_options", None)
                if getattr(options, "insecure", False):
                    return
                raise NotImplementedError(
                    "verify=False per request is not supported by Hornet: run with --insecure"
                )
            raise NotImplementedError(
                "verify=<CA bundle> is not supported by Hornet: set SSL_CERT_FILE instead"
            )

    def _prepare(self, method, url, kwargs):
        """(url, headers list, body bytes or None) as requests would send them."""
        params = kwargs.get("params")
        data = kwargs.get("data")
        files = kwargs.get("files")
        json_body = kwargs.get("json")
        request_headers = kwargs.get("headers")
        body = None
        headers = None
        if self.headers or request_headers:
            merged = CaseInsensitiveDict(self.headers)
            if request_headers:
                for name, value in request_headers.items():
                    if value is None:
                        merged.pop(name, None)
                    else:
                        merged[name] = value
            headers = merged
        if params or data or files or json_body is not None:
            prepared = PreparedRequest()
            prepared.prepare_method(method)
            prepared.prepare_url(url, params)
            prepared.headers = CaseInsensitiveDict()
            prepared.prepare_body(data if data is not None else {}, files, json_body)
            url = prepared.url
            body = prepared.body
            if isinstance(body, str):
                # http.client sends a str body as ISO-8859-1; beyond it, UTF-8.
                try:
                    body = body.encode("latin-1")
                except UnicodeEncodeError:
                    body = body.encode("utf-8")
            elif body is not None and not isinstance(body, bytes):
                body = body.read() if hasattr(body, "read") else bytes(body)
                if isinstance(body, str):
                    body = body.encode("utf-8")
            content_type = prepared.headers.get("Content-Type")
            if content_type and not (headers and "Content-Type" in headers):
                headers = CaseInsensitiveDict(headers or {})
                headers["Content-Type"] = content_type
        header_list = None
        if headers:
            header_list = [
                (str(name), value.decode("latin-1") if isinstance(value, bytes) else str(value))
                for name, value in headers.items()
            ]
        return url, header_list, body

    @staticmethod
    def _timeout(timeout):
        if timeout is None:
            return None
        if isinstance(timeout, tuple):
            connect, read = (timeout + (None, None))[:2]
            timeout = read if read is not None else connect
            if timeout is None:
                return None
        return float(timeout)

    def request(self, method, url, name=None, catch_response=False, context={}, **kwargs):
        """Sends a request and returns its Response (a ResponseContextManager with
        ``catch_response=True``). Failures are recorded, never raised."""
        if self.request_name and not name:
            name = self.request_name
        if kwargs.keys() - _PLAIN_KEYWORDS:
            self._check_unsupported(kwargs)
        url = self._build_url(url)
        headers = body = None
        if self.headers or any(kwargs.get(key) is not None for key in _BODY_KEYWORDS):
            url, headers, body = self._prepare(method, url, kwargs)
        start_time = time.time()
        native = _hornet.request(
            self._native, method.upper(), url, name, headers, body,
            self._auth_pair(kwargs.get("auth")), self._timeout(kwargs.get("timeout")),
            bool(kwargs.get("allow_redirects", True)), bool(catch_response),
            _pairs(kwargs.get("cookies"), "cookies"),
        )
        listening = self.request_event.has_listeners
        if not catch_response and not listening:
            return self._response_class(native)
        request_meta = self._request_meta(native, method, name, context, start_time)
        if catch_response:
            return self._context_class(native, self.request_event, request_meta)
        response = self._response_class(native)
        request_meta["response"] = response
        request_meta["response_length"] = len(response.content or b"")
        if native.error:
            request_meta["exception"] = _exception_of(response)
        self.request_event.fire_listeners_only(**request_meta)
        return response

    def _request_meta(self, native, method, name, context, start_time):
        path_url = PreparedRequestInfo(method, native.request_url, (), None).path_url
        if self.user is not None and hasattr(self.user, "context"):
            context = {**self.user.context(), **context}
        return {
            "request_type": method.upper(),
            "response_time": native.elapsed * 1000,
            "name": name or path_url,
            "context": context,
            "response": None,
            "exception": None,
            "start_time": start_time,
            "url": native.request_url,
            "response_length": len(native.content) if native.status_code else 0,
        }

    def get(self, url, **kwargs):
        kwargs.setdefault("allow_redirects", True)
        return self.request("GET", url, **kwargs)

    def options(self, url, **kwargs):
        kwargs.setdefault("allow_redirects", True)
        return self.request("OPTIONS", url, **kwargs)

    def head(self, url, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return self.request("HEAD", url, **kwargs)

    def post(self, url, data=None, json=None, **kwargs):
        return self.request("POST", url, data=data, json=json, **kwargs)

    def put(self, url, data=None, **kwargs):
        return self.request("PUT", url, data=data, **kwargs)

    def patch(self, url, data=None, **kwargs):
        return self.request("PATCH", url, data=data, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)

    def close(self):
        pass

    def mount(self, prefix, adapter):
        raise NotImplementedError("HttpSession.mount() (transport adapters) is not supported by Hornet")


def _exception_of(response):
    """The exception Locust's request event carries for a failed response."""
    if response.error is not None:
        return response.error
    try:
        response.raise_for_status()
    except requests.exceptions.RequestException as e:
        return e
    return None
