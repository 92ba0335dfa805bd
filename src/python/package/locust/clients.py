"""HttpUser's client: ``HttpSession``, with requests' semantics on Hornet's HTTP engine.

What a request sends is prepared here exactly as requests 2.28 prepares it (the URL with
``params``, form / JSON / multipart bodies and their Content-Type), by requests' own public
``PreparedRequest`` methods; Hornet's engine (``_hornet.request``, see src/python/README.md)
then sends it, suspending only the calling user, follows redirects, keeps the cookies and
records the request in Hornet's statistics. ``request_event`` listeners are then called with
Locust's keyword arguments.

Differences from Locust's HttpSession (a requests.Session), each refused by name rather than
ignored:

- ``verify=False`` works only for runs with ``--insecure`` (Hornet verifies certificates per
  process), ``verify=<CA bundle>``, ``cert=``, ``proxies=``, ``hooks=``, auth
  other than Basic and ``mount()`` raise NotImplementedError; an unknown keyword is a TypeError.
- ``stream=True`` is accepted, but the engine has read the whole body before the response
  is returned (iter_content/iter_lines serve it from memory).
- ``response.history`` is always empty (the engine follows redirects and reports only the
  last response); ``response.text`` never guesses an encoding with chardet: without a charset
  (and outside text/*, which is ISO-8859-1 as in requests) it is UTF-8.
- A header given as None in ``headers=`` is not sent by the request, but cannot remove one of
  ``client.headers`` for one request.
- A request's ``response_time`` is the engine's (the one in Hornet's statistics).
"""

import datetime
import email.utils
import json as _json
import re
import time
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

import _hornet
import requests
from requests.auth import HTTPBasicAuth, HTTPProxyAuth
from requests.cookies import RequestsCookieJar, create_cookie
from requests.models import PreparedRequest
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from ._errors import error_text
from .exception import CatchResponseError, LocustError, ResponseError

__all__ = ["HttpSession", "Response", "ResponseContextManager", "LocustResponse"]

absolute_http_url_regexp = re.compile(r"^https?://", re.I)

# A URL made only of these characters is sent as given; any other is requoted as requests does.
_URL_AS_IS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")

# requests.Session.request's keywords (besides method and url).
_REQUEST_KEYWORDS = frozenset(("params", "data", "headers", "cookies", "files", "auth", "timeout",
                               "allow_redirects", "proxies", "hooks", "stream", "verify", "cert",
                               "json"))
# Keywords that need no checking (the common case skips _check_keywords).
_PLAIN_KEYWORDS = frozenset(("params", "data", "headers", "cookies", "files", "auth", "timeout",
                             "allow_redirects", "json"))

_NOT_CATCH_RESPONSE = (
    "If you want to change the state of the request, you must pass catch_response=True. "
    "See http://docs.locust.io/en/stable/writing-a-locustfile.html#validating-responses"
)
_NOT_ENTERED = (
    "Tried to set status on a request that has not yet been made. Make sure you use a "
    "with-block, like this:\n\nwith self.client.request(..., catch_response=True) as "
    "response:\n    response.{}"
)


# -- transport errors ---------------------------------------------------------------------------

class _HornetText:
    """Mixed into a requests exception that stands for a failure Hornet recorded: its str() and
    repr() are Hornet's text, so ``error_text(response.error)`` is what the failures table
    shows."""

    def __repr__(self):
        return str(self.args[0]) if self.args else super().__repr__()


# The requests exception a failure text stands for, by the name that starts it.
_TRANSPORT_BASES = {
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
_transport_classes = {}


def transport_error(text):
    """The exception for Hornet's failure ``text`` of a request that got no response: a
    requests exception of the matching class (ConnectionError unless the text names another),
    whose str() and repr() are ``text``."""
    name = re.match(r"[A-Za-z_]*", text).group(0)
    base = _TRANSPORT_BASES.get(name, requests.exceptions.ConnectionError)
    cls = _transport_classes.get(base)
    if cls is None:
        cls = type(base.__name__, (_HornetText, base), {"__module__": base.__module__})
        _transport_classes[base] = cls
    return cls(text)


# -- responses ----------------------------------------------------------------------------------

def _path_url(url):
    """requests' PreparedRequest.path_url: path (``/`` if empty) and query of ``url``."""
    parsed = urlparse(url)
    path = parsed.path or "/"
    return f"{path}?{parsed.query}" if parsed.query else path


class RequestInfo:
    """``response.request``: the request as sent (requests' PreparedRequest attributes)."""

    def __init__(self, method, url, headers, body):
        self.method = method
        self.url = url
        self.headers = CaseInsensitiveDict(headers or ())
        self.body = body

    @property
    def path_url(self):
        return _path_url(self.url)

    def __repr__(self):
        return f"<PreparedRequest [{self.method}]>"


def _cookies_set_by(headers, url):
    """A RequestsCookieJar of the cookies the Set-Cookie headers (list of pairs) set, with
    cookielib's defaults: domain the request's host, path the request path's directory."""
    jar = RequestsCookieJar()
    parsed = urlparse(url)
    host = parsed.hostname or ""
    directory = parsed.path[:parsed.path.rfind("/")] if parsed.path.count("/") > 1 else "/"
    for header, value in headers:
        if header.lower() != "set-cookie":
            continue
        first, *attributes = value.split(";")
        name, sep, cookie_value = first.partition("=")
        if not sep or not name.strip():
            continue
        attrs = {}
        for attribute in attributes:
            key, _, attr_value = attribute.partition("=")
            attrs[key.strip().lower()] = attr_value.strip()
        if _expired(attrs):
            continue
        domain = attrs.get("domain", "")
        jar.set_cookie(create_cookie(
            name.strip(), cookie_value.strip(),
            domain=("." + domain.lstrip(".")) if domain else host,
            path=attrs.get("path") or directory,
            secure="secure" in attrs,
        ))
    return jar


def _expired(attrs):
    if "max-age" in attrs:
        try:
            return int(attrs["max-age"]) <= 0
        except ValueError:
            return False
    if "expires" in attrs:
        try:
            expires = email.utils.parsedate_to_datetime(attrs["expires"])
        except (TypeError, ValueError):
            return False
        return expires.timestamp() <= time.time()
    return False


class Response:
    """A response with requests' attributes, read lazily from Hornet's native Response.

    When no response came (refused, timed out, malformed...), as Locust's LocustResponse:
    ``status_code`` is 0, ``content`` None and ``error`` the requests exception whose str() is
    Hornet's failure text; otherwise ``error`` is None.
    """

    def __init__(self, native):
        self._native = native
        self.status_code = native.status_code
        text = native.error
        self.error = transport_error(text) if text and self.status_code == 0 else None
        self.url = native.url
        self.history = []
        self.connection = None
        self._headers = None
        self._cookies = None
        self._content = False
        self._encoding = None
        self._encoding_known = False

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

    def __bool__(self):
        return self.ok

    @property
    def headers(self):
        """requests' CaseInsensitiveDict; a repeated header's values joined by ", "."""
        if self._headers is None:
            headers = CaseInsensitiveDict()
            for name, value in self._native.headers:
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            self._headers = headers
        return self._headers

    @property
    def content(self):
        """The body (bytes, decoded from chunked/gzip/deflate), None without a response."""
        if self._content is False:
            self._content = None if self.status_code == 0 else self._native.content
        return self._content

    @property
    def encoding(self):
        """requests' rule: the Content-Type's charset; ISO-8859-1 for text/* without one;
        UTF-8 for application/json; else None (``text`` then uses UTF-8: no chardet)."""
        if not self._encoding_known:
            self._encoding = get_encoding_from_headers(self.headers)
            self._encoding_known = True
        return self._encoding

    @encoding.setter
    def encoding(self, value):
        self._encoding = value
        self._encoding_known = True

    @property
    def apparent_encoding(self):
        """requests guesses with chardet; Hornet does not guess: always "utf-8"."""
        return "utf-8"

    @property
    def text(self):
        content = self.content
        if not content:
            return ""
        try:
            return str(content, self.encoding or "utf-8", errors="replace")
        except (LookupError, TypeError):
            return str(content, errors="replace")

    def json(self, **kwargs):
        """The body parsed as JSON; requests.exceptions.JSONDecodeError (a ValueError) if it
        is not JSON."""
        try:
            return _json.loads(self.text, **kwargs)
        except _json.JSONDecodeError as e:
            raise requests.exceptions.JSONDecodeError(e.msg, e.doc, e.pos) from None

    @property
    def cookies(self):
        """The cookies this response set (a RequestsCookieJar, from its Set-Cookie headers)."""
        if self._cookies is None:
            self._cookies = _cookies_set_by(self._native.headers, self.url)
        return self._cookies

    @property
    def elapsed(self):
        return datetime.timedelta(seconds=self._native.elapsed)

    @property
    def request(self):
        native = self._native
        return RequestInfo(native.request_method, native.request_url, native.request_headers,
                           native.request_body)

    @property
    def is_redirect(self):
        return "location" in self.headers and self.status_code in (301, 302, 303, 307, 308)

    @property
    def is_permanent_redirect(self):
        return "location" in self.headers and self.status_code in (301, 308)

    @property
    def links(self):
        header = self.headers.get("link")
        if not header:
            return {}
        return {link.get("rel") or link.get("url"): link
                for link in requests.utils.parse_header_links(header)}

    def iter_content(self, chunk_size=1, decode_unicode=False):
        """The body in pieces of ``chunk_size`` (all of it at once if None); the body is
        already read, so this only slices it."""
        data = self.text if decode_unicode else (self.content or b"")
        size = chunk_size or len(data) or 1
        for start in range(0, len(data), size):
            yield data[start:start + size]

    def iter_lines(self, chunk_size=512, decode_unicode=False, delimiter=None):
        data = self.text if decode_unicode else (self.content or b"")
        yield from (data.split(delimiter) if delimiter else data.splitlines())

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def raise_for_status(self):
        """Raises ``error`` (no response), or requests' HTTPError for a 4xx/5xx status, with
        requests' text: ``"404 Client Error: Not Found for url: http://..."``."""
        if self.error is not None:
            raise self.error
        if 400 <= self.status_code < 500:
            kind = "Client"
        elif 500 <= self.status_code < 600:
            kind = "Server"
        else:
            return
        raise requests.exceptions.HTTPError(
            f"{self.status_code} {kind} Error: {self.reason} for url: {self.url}", response=self)

    def success(self):
        raise LocustError(_NOT_CATCH_RESPONSE)

    def failure(self, *args):
        raise LocustError(_NOT_CATCH_RESPONSE)

    def __repr__(self):
        return f"<Response [{self.status_code}]>"


LocustResponse = Response


def _fire(request_event, request_meta):
    """Calls the request listeners (the request is already recorded by Hornet)."""
    fire = getattr(request_event, "fire_listeners_only", None) or request_event.fire
    fire(**request_meta)


def _listening(request_event):
    return request_event is not None and getattr(request_event, "has_listeners", True)


class ResponseContextManager(Response):
    """A catch_response response, decided in a ``with`` block (Locust 2.12's).

    Leaving the block records the request (through the native ``success()``, ``failure(text)``
    and ``report()``) and calls the request listeners:

    - as ``success()`` / ``failure(exc)`` decided (a non-exception is wrapped in
      CatchResponseError); an exception leaving the block still propagates;
    - else a ResponseError raised in the block is the failure, and is swallowed;
    - else another exception (RescheduleTask, StopUser, a bug...) propagates and the request
      is not recorded at all (as in Locust);
    - else the status decides (``raise_for_status``).
    """

    _manual_result = None
    _entered = False

    def __init__(self, native, request_event, request_meta):
        super().__init__(native)
        self._request_event = request_event
        self.request_meta = request_meta
        request_meta["response"] = self

    def __enter__(self):
        self._entered = True
        return self

    def __exit__(self, exc, value, traceback):
        if self._manual_result is not None:
            if self._manual_result is True:
                self.request_meta["exception"] = None
                self._native.success()
            else:
                self.request_meta["exception"] = self._manual_result
                self._native.failure(error_text(self._manual_result))
            self._report_request()
            return exc is None
        if exc:
            if isinstance(value, ResponseError):
                self.request_meta["exception"] = value
                self._native.failure(error_text(value))
                self._report_request()
                return True
            self._native.discard()
            return False
        try:
            self.raise_for_status()
        except requests.exceptions.RequestException as e:
            self.request_meta["exception"] = e
        self._report_request()
        return True

    def _report_request(self):
        self._native.report()
        if _listening(self._request_event):
            _fire(self._request_event, self.request_meta)

    def success(self):
        """Marks the request a success (whatever its status)."""
        if not self._entered:
            raise LocustError(_NOT_ENTERED.format("success()"))
        self._manual_result = True

    def failure(self, exc):
        """Marks the request failed with ``exc`` (an exception, or a message that becomes
        CatchResponseError(message))."""
        if not self._entered:
            raise LocustError(_NOT_ENTERED.format("failure(...)"))
        if not isinstance(exc, Exception):
            exc = CatchResponseError(exc)
        self._manual_result = exc


# -- the session's headers and cookies ----------------------------------------------------------

class SessionHeaders(CaseInsensitiveDict):
    """``client.headers``: the headers sent with every request (requests' Session.headers).

    A CaseInsensitiveDict that writes every change through to the native session, whose
    defaults (User-Agent...) it starts with; a request's own headers win over these.
    """

    def __init__(self, native):
        self._native = None
        super().__init__(native.headers())
        self._native = native

    def _sync(self):
        if self._native is not None:
            self._native.set_headers(_header_pairs(self.items()))

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._sync()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._sync()

    def replace(self, headers):
        """Makes the headers exactly ``headers`` (``client.headers = {...}``)."""
        native, self._native = self._native, None
        self.clear()
        self.update(headers or {})
        self._native = native
        self._sync()


def _header_pairs(items):
    pairs = []
    for name, value in items:
        if value is None:
            continue
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        elif not isinstance(value, str):
            raise requests.exceptions.InvalidHeader(
                f"Header part ({value!r}) from ('{name}', {value!r}) must be of type str or "
                f"bytes, not {type(value)}")
        pairs.append((str(name), value))
    return pairs


class SessionCookies:
    """``client.cookies``: the user's cookie jar, kept by Hornet's engine, with the parts of
    requests' RequestsCookieJar locustfiles use. Iterating gives cookie objects (``name``,
    ``value``, ``domain``, ``path``)."""

    def __init__(self, native):
        self._native = native

    def _all(self):
        return self._native.cookies()

    def get(self, name, default=None, domain=None, path=None):
        for cookie_name, value, cookie_domain, cookie_path in self._all():
            if cookie_name == name and domain in (None, cookie_domain) and path in (None, cookie_path):
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
        """Puts a cookie in the jar: for the user's host unless ``domain`` is given."""
        if value is None:
            raise NotImplementedError(
                "cookies.set(name, None) (removing one cookie) is not supported by Hornet; "
                "use cookies.clear()")
        if hasattr(value, "name") and hasattr(value, "value"):  # a Cookie (requests allows it)
            domain = domain or value.domain
            path = path or value.path
            value = value.value
        self._native.set_cookie(str(name), str(value), domain or "", path or "/")

    def set_cookie(self, cookie, *args, **kwargs):
        """Puts a http.cookiejar.Cookie in the jar."""
        self._native.set_cookie(cookie.name, cookie.value or "", cookie.domain or "",
                                cookie.path or "/")

    def update(self, other):
        if hasattr(other, "items"):
            items = other.items()
        else:
            items = ((cookie.name, cookie.value) if hasattr(cookie, "name") else cookie
                     for cookie in other)
        for name, value in items:
            self.set(name, value)

    def clear(self, domain=None, path=None, name=None):
        """Empties the jar (clearing part of it is not supported)."""
        if domain is not None or path is not None or name is not None:
            raise NotImplementedError("cookies.clear() with arguments is not supported by Hornet")
        self._native.clear_cookies()

    def clear_session_cookies(self):
        self.clear()

    def keys(self):
        return [cookie[0] for cookie in self._all()]

    def values(self):
        return [cookie[1] for cookie in self._all()]

    def items(self):
        return [(cookie[0], cookie[1]) for cookie in self._all()]

    def get_dict(self, domain=None, path=None):
        return {name: value for name, value, cookie_domain, cookie_path in self._all()
                if domain in (None, cookie_domain) and path in (None, cookie_path)}

    def list_domains(self):
        return list(dict.fromkeys(cookie[2] for cookie in self._all()))

    def __iter__(self):
        for name, value, domain, path in self._all():
            yield create_cookie(name, value, domain=domain, path=path)

    def __len__(self):
        return len(self._all())

    def __repr__(self):
        return f"<SessionCookies {self.get_dict()!r}>"


def _cookie_pairs(cookies):
    """Per-request cookies (a dict, a list of pairs or a CookieJar) as a list of (str, str)."""
    if cookies is None:
        return None
    if hasattr(cookies, "items") and not isinstance(cookies, RequestsCookieJar):
        items = cookies.items()
    elif isinstance(cookies, (str, bytes)):
        raise TypeError(f"cookies must be a dict or a CookieJar, not {type(cookies).__name__}")
    else:
        items = ((cookie.name, cookie.value) if hasattr(cookie, "name") else cookie
                 for cookie in cookies)
    return [(str(name), str(value)) for name, value in items if value is not None]


# -- preparing a request ------------------------------------------------------------------------

def prepare_url(url, params=None):
    """``url`` with ``params`` encoded into its query, requoted, as requests prepares it."""
    if params or not _URL_AS_IS.match(url):
        prepared = PreparedRequest()
        prepared.prepare_url(url, params)
        return prepared.url
    return url


def prepare_body(data=None, files=None, json=None):
    """(body bytes or None, Content-Type or None) as requests prepares ``data`` (dict / list
    of pairs: form; str, bytes or a file: raw), ``json`` and ``files`` (multipart)."""
    prepared = PreparedRequest()
    prepared.headers = CaseInsensitiveDict()
    prepared.prepare_body(data if data is not None else [], files, json)
    body = prepared.body
    if isinstance(body, str):
        # http.client sends a str body as ISO-8859-1 (it refuses others: here they are UTF-8).
        try:
            body = body.encode("latin-1")
        except UnicodeEncodeError:
            body = body.encode("utf-8")
    elif body is not None and not isinstance(body, bytes):
        body = body.read() if hasattr(body, "read") else b"".join(
            part.encode("utf-8") if isinstance(part, str) else bytes(part) for part in body)
        if isinstance(body, str):
            body = body.encode("utf-8")
    return body, prepared.headers.get("Content-Type")


def _auth_pair(auth):
    """(user, password) for Basic auth from a tuple or an HTTPBasicAuth."""
    if isinstance(auth, (tuple, list)) and len(auth) == 2:
        username, password = auth
    elif isinstance(auth, HTTPBasicAuth) and not isinstance(auth, HTTPProxyAuth):
        username, password = auth.username, auth.password
    else:
        raise NotImplementedError(
            f"auth={auth!r} ({type(auth).__name__}) is not supported by Hornet: only Basic auth, "
            "as a (user, password) tuple or requests.auth.HTTPBasicAuth")
    return tuple(part.decode("latin-1") if isinstance(part, bytes) else str(part)
                 for part in (username, password))


def _timeout_seconds(timeout):
    """One deadline for the whole exchange: a (connect, read) tuple gives the larger."""
    if timeout is None:
        return None
    if isinstance(timeout, (tuple, list)):
        values = [float(t) for t in timeout if t is not None]
        return max(values) if values else None
    return float(timeout)


class HttpSession:
    """The client of an HttpUser (Locust's HttpSession, a requests.Session).

    ``request()`` and the verb methods take a path (appended to ``base_url``) or an absolute
    URL, requests' keywords, and Locust's ``name`` (the statistics entry; default: path and
    query), ``catch_response`` and ``context``. ``headers`` and ``cookies`` persist for the
    user. Failures are recorded, never raised.
    """

    response_class = Response
    context_manager_class = ResponseContextManager

    def __init__(self, base_url, request_event, user, *args, pool_manager=None, **kwargs):
        self._native = _hornet.session()
        self.base_url = base_url or ""
        self.request_event = request_event
        self.user = user
        self.request_name = None
        self._headers = SessionHeaders(self._native)
        self.cookies = SessionCookies(self._native)
        self.auth = None
        self.verify = True
        self.cert = None
        self.proxies = {}
        self.stream = False
        self.hooks = {"response": []}
        self.params = {}
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

    @property
    def headers(self):
        return self._headers

    @headers.setter
    def headers(self, value):
        self._headers.replace(value)

    def _build_url(self, path):
        """``path`` as is when absolute, else appended to base_url (Locust's rule)."""
        if absolute_http_url_regexp.match(path):
            return path
        return f"{self.base_url}{path}"

    @contextmanager
    def rename_request(self, name):
        """Records the block's requests under ``name``."""
        self.request_name = name
        try:
            yield
        finally:
            self.request_name = None

    def _check_keywords(self, kwargs):
        unknown = kwargs.keys() - _REQUEST_KEYWORDS
        if unknown:
            raise TypeError(
                f"request() got unexpected keyword argument(s): {', '.join(sorted(unknown))}")
        for key in ("proxies", "cert", "hooks"):
            if kwargs.get(key):
                raise NotImplementedError(f"{key}= is not supported by Hornet")

    def _check_session(self, url, verify):
        """What the session (or the request) asks that Hornet cannot do."""
        if self.proxies:
            raise NotImplementedError("client.proxies is not supported by Hornet")
        if self.cert:
            raise NotImplementedError("client.cert (client certificates) is not supported by Hornet")
        if verify is True or verify is None or not url[:6].lower() == "https:":
            return
        if verify is False:
            options = getattr(getattr(self.user, "environment", None), "parsed_options", None)
            if getattr(options, "insecure", False):
                return
            raise NotImplementedError(
                "verify=False is not supported per request or per user by Hornet: run with "
                "--insecure")
        raise NotImplementedError(
            "verify=<CA bundle> is not supported by Hornet: set SSL_CERT_FILE instead")

    def _prepare(self, url, params, data, files, json_body, headers):
        """(url, header pairs or None, body or None) as requests would send them."""
        url = prepare_url(url, params)
        body = content_type = None
        if data or files or json_body is not None:
            body, content_type = prepare_body(data, files, json_body)
        pairs = _header_pairs(headers.items()) if headers else []
        if content_type and not any(name.lower() == "content-type" for name, _ in pairs) \
                and "content-type" not in self._headers:
            pairs.append(("Content-Type", content_type))
        return url, pairs or None, body

    def request(self, method, url, name=None, catch_response=False, context={}, **kwargs):
        """Sends a request; returns its Response (with ``catch_response=True`` a
        ResponseContextManager, to use in a ``with`` block)."""
        if self.request_name and not name:
            name = self.request_name
        if kwargs.keys() - _PLAIN_KEYWORDS:
            self._check_keywords(kwargs)
        url = self._build_url(url)
        self._check_session(url, kwargs.get("verify", self.verify))
        get = kwargs.get
        url, headers, body = self._prepare(url, get("params"), get("data"), get("files"),
                                           get("json"), get("headers"))
        return self._send(method, url, name, headers, body, get("auth") or self.auth,
                          get("timeout"), get("allow_redirects", True), catch_response,
                          _cookie_pairs(get("cookies")), context)

    def _send(self, method, url, name, headers, body, auth, timeout, allow_redirects,
              catch_response, cookies, context):
        """Sends a prepared request through Hornet's engine; builds the Response and calls the
        request listeners (the engine records the request)."""
        start_time = time.time()
        native = _hornet.request(
            self._native, method.upper(), url, name, headers, body,
            None if auth is None else _auth_pair(auth), _timeout_seconds(timeout),
            bool(allow_redirects), bool(catch_response), cookies,
        )
        if not catch_response and not _listening(self.request_event):
            return self.response_class(native)
        request_meta = self._request_meta(native, method, name, context, start_time)
        if catch_response:
            return self.context_manager_class(native, self.request_event, request_meta)
        response = self.response_class(native)
        request_meta["response"] = response
        request_meta["exception"] = self._exception_for_listeners(response, name)
        _fire(self.request_event, request_meta)
        return response

    @staticmethod
    def _exception_for_listeners(response, name):
        """Locust's: raise_for_status()'s exception, with ``name`` (if given) as the URL."""
        if response.error is not None:
            return response.error
        url = response.url
        if name:
            response.url = name
        try:
            response.raise_for_status()
        except requests.exceptions.RequestException as e:
            return e
        finally:
            response.url = url
        return None

    def _request_meta(self, native, method, name, context, start_time):
        if self.user is not None and hasattr(self.user, "context"):
            context = {**self.user.context(), **context}
        return {
            "request_type": method.upper(),
            "response_time": native.elapsed * 1000,
            "name": name or _path_url(native.request_url),
            "context": context,
            "response": None,
            "exception": None,
            "start_time": start_time,
            "url": native.request_url,
            "response_length": len(native.content or b"") if native.status_code else 0,
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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def mount(self, prefix, adapter):
        raise NotImplementedError("HttpSession.mount() (transport adapters) is not supported by Hornet")
