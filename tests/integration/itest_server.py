"""The integration tests' HTTP server: Python standard library only, one thread per connection,
bound to 127.0.0.1 port 0, optionally TLS. It records every request it receives (before it
answers), so a test can compare what Hornet says it sent with what arrived, and it has the routes
the scenarios in scenarios/ need plus fault modes (a server that closes mid-response, sends
garbage, answers too slowly...).

Routes (the query string is ignored unless said):
  /ok                       200 "ok"
  /status/<code>            that status
  /echo/<any>               200, a JSON document of what was received (method, path, query,
                            headers, body); any method, HEAD without the body
  /cookies/set?k=v...       sets each k=v (Path=/)
  /cookies/attrs            sets cookies with attributes (see COOKIE_ATTRS)
  /cookies/delete           deletes "gone" (Max-Age=0)
  /cookies/redirect         302 to /cookies/after-redirect, setting redir=1
  /redirect/<code>          <code> to /landing/<code> (307: an absolute URL)
  /landing/<code>           200 "landed"
  /redirect-to?to=URL       302 to URL
  /relative/a/b             302 to ../c?x=1 (a relative reference); /relative/...: 200 "ok"
  /loop/<n>                 302 to /loop/<n+1>, forever
  /basic                    200 with Basic user:pa:ss, else 401
  /content/<kind>           content_body(kind), encoded or framed as <kind> says
  /slow?delay=S, /wait/<kind>?delay=S
                            200 after S seconds (0 by default)
  /fault/<mode>             see FAULTS
  /edge/<kind>              HTTP/1.1 edge cases (see _edge); /edge/after/<kind>: "after <kind>"
  /marker/..., /item, /stop/..., /int/..., /seq/..., /tag/..., /class/..., /exc/..., /cf/...,
  /onstart/...
                            200 "ok"
  anything else             404
"""

import base64
import gzip
import http.server
import json
import socket
import socketserver
import ssl
import threading
import time
import unittest
import urllib.parse
import zlib
from dataclasses import dataclass, field

OK_PREFIXES = ("/ok", "/marker/", "/item", "/stop/", "/int/", "/seq/", "/tag/", "/class/",
               "/exc/", "/cf/", "/onstart/", "/cookies/echo", "/cookies/deep/", "/cookies/after-redirect")
BASIC_CREDENTIALS = "Basic " + base64.b64encode(b"user:pa:ss").decode()
COOKIE_ATTRS = [
    "scoped=1; Path=/cookies/deep",
    "secure=1; Path=/; Secure",
    "httponly=1; Path=/; HttpOnly",
    "expired=1; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    "gone=1; Path=/",
    "foreign=1; Path=/; Domain=example.com",
    "theme=light; Path=/",
    "dp=1",  # no Path: the default path of /cookies/attrs is /cookies
    "mx=1; Path=/; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT",  # Max-Age wins
    "eq=a=b; Path=/",  # the value is everything after the first "="
    "sec2=1; path=/; SECURE",  # attribute names are case-insensitive
    "old=1; Path=/; Expires=Wed, 21-Oct-2015 07:28:00 GMT",  # a past date, RFC 850-like form
    "fut=1; Path=/; expires=Fri, 01-Jan-2038 00:00:00 GMT",  # a future one
    "neg=1; Path=/; Max-Age=-1",  # Max-Age <= 0: expired at once
    "dup=root; Path=/",  # two cookies of one name, for different paths
    "dup=deep; Path=/cookies/deep",
]
FAULTS = {
    "close-before": "reads the request, closes without a byte",
    "close-mid": "sends a head with Content-Length 1000 and 10 body bytes, closes",
    "garbage": "sends bytes that are not HTTP, closes",
    "garbage-linger": "sends bytes that are not HTTP, keeps the connection open",
    "slow": "answers after 5 s (or when the server stops)",
    "truncated-chunked": "a chunked body cut in the middle of a chunk, then closes",
    "oversized-headers": "a 100 KB header field",
    "too-many-headers": "300 header fields",
}


def content_body(kind):
    """The body of /content/<kind> (scenarios/features.cpp builds the same text)."""
    return "".join(f"{kind} line {i}\n" for i in range(3000)).encode()


@dataclass
class Received:
    """One request as the server received it."""
    time: float
    method: str
    target: str  # as on the request line
    path: str
    query: dict  # parse_qs of the query string
    headers: object  # email.message.Message: case-insensitive get(), get_all()
    body: bytes
    user: str  # the X-Itest-User header ("" without)
    client_port: int  # the client's side of the connection: one per connection

    def cookies(self):
        """The Cookie header as {name: value}."""
        out = {}
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                out[name] = value
        return out


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "itest"
    timeout = 30  # an idle keep-alive connection is closed after this
    disable_nagle_algorithm = True  # replies go out at once (no delayed-ACK stalls)
    wbufsize = 256 * 1024  # head and body in one write; flushed after each request

    def log_message(self, *args):
        pass

    def _read_body(self):
        length = self.headers.get("Content-Length")
        if length:
            return self.rfile.read(int(length))
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def _dispatch(self):
        owner = self.server.owner
        split = urllib.parse.urlsplit(self.path)
        received = Received(
            time=time.monotonic(), method=self.command, target=self.path, path=split.path,
            query=urllib.parse.parse_qs(split.query, keep_blank_values=True),
            headers=self.headers, body=self._read_body(),
            user=self.headers.get("X-Itest-User") or "", client_port=self.client_address[1])
        owner._record(received)
        self._route(received)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    # -- replies ----------------------------------------------------------------------------

    def _reply(self, status, body=b"", content_type="text/plain", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _raw(self, data, close=True):
        self.wfile.write(data)
        self.wfile.flush()
        if close:
            self.close_connection = True

    def _sleep(self, seconds):
        self.server.owner.stopping.wait(seconds)

    def _route(self, r):
        path = r.path
        parts = path.strip("/").split("/")
        if path.startswith("/status/"):
            code = int(parts[1])
            return self._reply(code, f"status {code}")
        if path.startswith("/echo/"):
            document = {
                "method": r.method, "path": path, "query": r.query,
                "headers": {k.lower(): v for k, v in r.headers.items()},
                "body": r.body.decode("latin-1"),
            }
            return self._reply(200, json.dumps(document), "application/json")
        if path == "/cookies/set":
            cookies = [("Set-Cookie", f"{k}={v[0]}; Path=/") for k, v in r.query.items()]
            return self._reply(200, "set", headers=cookies)
        if path == "/cookies/attrs":
            return self._reply(200, "attrs", headers=[("Set-Cookie", c) for c in COOKIE_ATTRS])
        if path == "/cookies/delete":
            return self._reply(200, "deleted", headers=[("Set-Cookie", "gone=; Path=/; Max-Age=0")])
        if path == "/cookies/redirect":
            return self._reply(302, "moved", headers=[("Set-Cookie", "redir=1; Path=/"),
                                                      ("Location", "/cookies/after-redirect")])
        if path.startswith("/redirect/"):
            code = int(parts[1])
            location = f"/landing/{code}"
            if code == 307:
                location = f"http://127.0.0.1:{self.server.server_address[1]}{location}"
            return self._reply(code, "moved", headers=[("Location", location)])
        if path == "/redirect-to":
            return self._reply(302, "moved", headers=[("Location", r.query["to"][0])])
        if path.startswith("/relative/"):
            if path == "/relative/a/b":
                return self._reply(302, "moved", headers=[("Location", "../c?x=1")])
            return self._reply(200, "ok")
        if path.startswith("/landing/"):
            return self._reply(200, "landed")
        if path.startswith("/loop/"):
            return self._reply(302, "again", headers=[("Location", f"/loop/{int(parts[1]) + 1}")])
        if path == "/basic":
            if r.headers.get("Authorization") == BASIC_CREDENTIALS:
                return self._reply(200, "welcome")
            return self._reply(401, "who are you?",
                               headers=[("WWW-Authenticate", 'Basic realm="itest"')])
        if path.startswith("/content/"):
            return self._content(parts[1])
        if path == "/slow" or path.startswith("/wait/"):
            self._sleep(float(r.query.get("delay", ["0"])[0]))
            return self._reply(200, "ok")
        if path.startswith("/fault/"):
            return self._fault(parts[1])
        if path.startswith("/edge/after/"):
            return self._reply(200, "after " + parts[2])
        if path.startswith("/edge/"):
            return self._edge(parts[1])
        if path.startswith(OK_PREFIXES):
            return self._reply(200, "ok")
        return self._reply(404, "not found")

    def _content(self, kind):
        body = content_body(kind)
        if kind == "gzip":
            return self._reply(200, gzip.compress(body), headers=[("Content-Encoding", "gzip")])
        if kind == "deflate":
            return self._reply(200, zlib.compress(body), headers=[("Content-Encoding", "deflate")])
        if kind == "deflate-raw":
            compressor = zlib.compressobj(wbits=-15)
            data = compressor.compress(body) + compressor.flush()
            return self._reply(200, data, headers=[("Content-Encoding", "deflate")])
        if kind == "identity":
            return self._reply(200, body)
        if kind == "bad-gzip":
            return self._reply(200, b"this is not gzip at all",
                               headers=[("Content-Encoding", "gzip")])
        if kind in ("chunked", "chunked-gzip"):
            data = gzip.compress(body) if kind == "chunked-gzip" else body
            head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
            if kind == "chunked-gzip":
                head += "Content-Encoding: gzip\r\n"
            out = [(head + "\r\n").encode()]
            sizes, offset, i = [1, 100, 4096], 0, 0
            while offset < len(data):
                size = sizes[i % len(sizes)]
                chunk = data[offset:offset + size]
                extension = ";ext=1" if i == 1 else ""
                out.append(f"{len(chunk):x}{extension}\r\n".encode() + chunk + b"\r\n")
                offset += size
                i += 1
            out.append(b"0\r\nX-Trailer: t\r\n\r\n")
            return self._raw(b"".join(out), close=False)
        if kind == "close-delimited":
            return self._raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Connection: close\r\n\r\n" + body)
        return self._reply(404, "no such content")

    def _edge(self, kind):
        if kind == "continue":
            return self._raw(b"HTTP/1.1 100 Continue\r\n\r\n"
                             b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close=False)
        if kind == "no-reason":
            return self._raw(b"HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", close=False)
        if kind == "204":
            return self._raw(b"HTTP/1.1 204 No Content\r\n\r\n", close=False)
        if kind == "304":
            return self._raw(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
                             close=False)
        if kind == "extra-bytes":
            return self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
                             b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra", close=False)
        if kind == "http10":
            return self._raw(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        if kind == "conn-close":
            return self._raw(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
        if kind == "stale":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close=False)
            self._sleep(0.05)
            self.close_connection = True
            return None
        if kind == "lf-only":
            return self._raw(b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok", close=False)
        if kind == "big":
            return self._reply(200, b"x" * (8 * 1024 * 1024))
        return self._reply(404, "no such edge")

    def _fault(self, mode):
        if mode == "close-before":
            self.close_connection = True
            return None
        if mode == "close-mid":
            return self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
        if mode == "garbage":
            return self._raw(b"\x00\x01\x02 this is not HTTP \xff\r\n\r\n")
        if mode == "garbage-linger":
            self._raw(b"SSH-2.0-OpenSSH_9.2 not http\r\nmore garbage\r\n\r\n", close=False)
            self._sleep(5)
            self.close_connection = True
            return None
        if mode == "slow":
            self._sleep(5)
            return self._reply(200, "too late")
        if mode == "truncated-chunked":
            return self._raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             b"5\r\nhello\r\n10\r\nabc")
        if mode == "oversized-headers":
            return self._reply(200, "big", headers=[("X-Big", "a" * 100_000)])
        if mode == "too-many-headers":
            return self._reply(200, "many", headers=[(f"X-H{i}", "v") for i in range(300)])
        return self._reply(404, "no such fault")


class _ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True
    owner = None
    tls_context = None

    def finish_request(self, request, client_address):
        if self.tls_context is None:
            return super().finish_request(request, client_address)
        request.settimeout(30)
        try:
            tls = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.owner._tls_failure(error)
            return None
        try:
            return super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request, client_address):
        pass  # clients that vanish (Hornet stopping mid-request) are normal here


class TestServer:
    """A running server. `url` is its base URL; `received()` what it got so far."""

    def __init__(self, tls_cert=None, tls_key=None):
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._received = []
        self.tls_failures = []
        self.sni_names = []  # the server_name of each TLS handshake (None without SNI)
        self._httpd = _ThreadingServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        scheme = "http"
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            context.sni_callback = self._sni
            self._httpd.tls_context = context
            scheme = "https"
        self.port = self._httpd.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _record(self, received):
        with self._lock:
            self._received.append(received)

    def _sni(self, ssl_socket, server_name, context):
        with self._lock:
            self.sni_names.append(server_name)

    def _tls_failure(self, error):
        with self._lock:
            self.tls_failures.append(repr(error))

    def received(self, path=None, prefix=None, user=None):
        """The requests received so far, in arrival order, optionally only those for `path`,
        paths starting with `prefix`, or from `user`."""
        with self._lock:
            out = list(self._received)
        return [r for r in out
                if (path is None or r.path == path)
                and (prefix is None or r.path.startswith(prefix))
                and (user is None or r.user == user)]

    def count(self, path=None, prefix=None):
        return len(self.received(path=path, prefix=prefix))

    def wait_for(self, predicate, timeout, what="the condition"):
        """Polls predicate() until it is true; raises AssertionError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"server: timed out after {timeout} s waiting for {what}")
            time.sleep(0.05)

    def stop(self):
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class ServerTestCase(unittest.TestCase):
    """A test case whose tests share one TestServer, `self.server`, for the whole class."""

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


def refused_port():
    """A socket bound to a loopback port but not listening: connecting to it is refused (RST),
    and no other test can take the port meanwhile. Close it when done."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock
