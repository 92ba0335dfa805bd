"""locust.clients (HttpSession, Response, catch_response) on the fake _hornet: what the session
passes to _hornet.request must be what requests 2.28 prepares, byte for byte."""

import io
import unittest
from unittest import mock

import requests
import urllib3.filepost

import fake_hornet
import support  # noqa: F401  (installs the fake _hornet and Hornet's locust package)
from locust import clients
from locust._errors import error_text
from locust.clients import HttpSession
from locust.exception import CatchResponseError, LocustError, RescheduleTask, ResponseError

BASE = "http://example.com"


class Listener:
    """A request event with fire_listeners_only, recording each call's kwargs."""

    has_listeners = True

    def __init__(self):
        self.fired = []

    def fire_listeners_only(self, **kwargs):
        self.fired.append(kwargs)

    def fire(self, **kwargs):
        raise AssertionError("fire() would record the request twice")


class ClientTest(unittest.TestCase):
    def setUp(self):
        fake_hornet.sent.clear()
        patcher = mock.patch.object(fake_hornet, "session", fake_hornet.FakeSession)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.respond(fake_hornet.FakeResponse())
        self.event = Listener()
        self.client = HttpSession(BASE, self.event, None)

    def respond(self, response):
        patcher = mock.patch.object(fake_hornet, "respond", lambda call: response)
        patcher.start()
        self.addCleanup(patcher.stop)
        return response

    @property
    def last(self):
        return fake_hornet.sent[-1]


class Encoding(ClientTest):
    """URL, body and Content-Type against requests.Request(...).prepare()."""

    def check(self, method="GET", path="/p", make=None, **kwargs):
        """Compares with requests; ``make()`` gives more keywords, made anew for each side
        (file objects are read once)."""
        with mock.patch.object(urllib3.filepost, "choose_boundary", return_value="BOUNDARY"):
            expected = requests.Request(method, BASE + path, **kwargs, **(make() if make else {})).prepare()
            self.client.request(method, path, **kwargs, **(make() if make else {}))
        call = self.last
        self.assertEqual(call["url"], expected.url)
        body = expected.body
        if hasattr(body, "read"):  # requests streams a file: its bytes are the body
            body = body.read()
        elif isinstance(body, str):  # http.client sends a str as ISO-8859-1
            body = body.encode("latin-1")
        self.assertEqual(call["body"], body)
        headers = dict(call["headers"] or ())
        self.assertEqual(headers.get("Content-Type"), expected.headers.get("Content-Type"))
        return call

    def test_params(self):
        self.check(params={"a": "1", "b": ["x", "y"], "c": None, "é": "ü ?&"})
        self.check(params=[("k", "1"), ("k", "2 3")])
        self.check(params="raw=1&x")
        self.check(params=b"bytes=1")
        self.check(path="/p?existing=1#frag", params={"a": "1"})
        self.check(path="/with space/ü")

    def test_form_data(self):
        self.check("POST", data={"u": "a b", "p": ["1", "2"], "n": 3})
        self.check("POST", data=[("k", "1"), ("k", "2")])
        self.check("POST", data="raw text")
        self.check("POST", data=b"\x00\x01\xff")

    def test_file_like_data(self):
        call = self.check("POST", make=lambda: {"data": io.BytesIO(b"streamed")})
        self.assertEqual(call["body"], b"streamed")

    def test_json(self):
        self.check("POST", json={"k": [1, 2], "s": "é"})
        self.check("POST", json=[1, "two"])
        call = self.check("POST", data={}, json={"a": 1})  # empty data: json is used
        self.assertEqual(call["body"], b'{"a": 1}')

    def test_files(self):
        self.check("POST", files={"f": ("a.txt", b"hello", "text/plain")}, data={"field": "v"})
        self.check("POST", make=lambda: {"files": [
            ("f", ("a.txt", io.BytesIO(b"x"), "text/plain", {"X-Part": "1"})),
            ("g", b"raw bytes"), ("h", "text")]})
        self.check("POST", make=lambda: {"files": {"f": io.BytesIO(b"no name")}})

    def test_own_content_type_wins(self):
        call = self.check("POST", data={"a": "1"}, headers={"Content-Type": "text/x"})
        self.assertEqual(call["headers"], [("Content-Type", "text/x")])

    def test_session_content_type_wins_over_the_body_one(self):
        self.client.headers["Content-Type"] = "application/x-custom"
        self.client.post("/p", data={"a": "1"})
        self.assertIsNone(self.last["headers"])

    def test_plain_get_passes_the_url_as_given_and_no_body(self):
        self.client.get("/plain?q=1")
        call = self.last
        self.assertEqual((call["url"], call["body"], call["headers"]), (BASE + "/plain?q=1", None, None))
        self.assertIsNone(call["name"])

    def test_absolute_url_and_name(self):
        self.client.get("https://other.example/x", name="other")
        self.assertEqual((self.last["url"], self.last["name"]), ("https://other.example/x", "other"))
        with self.client.rename_request("grouped"):
            self.client.get("/y")
        self.assertEqual(self.last["name"], "grouped")


class Arguments(ClientTest):
    def test_auth(self):
        self.client.get("/", auth=("user", "pa:ss"))
        self.assertEqual(self.last["auth"], ("user", "pa:ss"))
        self.client.get("/", auth=requests.auth.HTTPBasicAuth("u", b"p"))
        self.assertEqual(self.last["auth"], ("u", "p"))
        with self.assertRaisesRegex(NotImplementedError, "HTTPDigestAuth"):
            self.client.get("/", auth=requests.auth.HTTPDigestAuth("u", "p"))

    def test_auth_from_base_url(self):
        client = HttpSession("http://me:secret@example.com:8080", None, None)
        self.assertEqual(client.base_url, "http://example.com:8080")
        client.get("/")
        self.assertEqual(self.last["auth"], ("me", "secret"))

    def test_timeout_redirects_cookies(self):
        self.client.get("/", timeout=(3, 7.5), allow_redirects=False, cookies={"a": "1"})
        call = self.last
        self.assertEqual((call["timeout"], call["allow_redirects"], call["cookies"]),
                         (7.5, False, [("a", "1")]))
        self.client.head("/")
        self.assertFalse(self.last["allow_redirects"])
        self.client.get("/", timeout=2)
        self.assertEqual(self.last["timeout"], 2.0)

    def test_unsupported_and_unknown_keywords(self):
        with self.assertRaisesRegex(TypeError, "bogus"):
            self.client.get("/", bogus=1)
        for kwargs in ({"proxies": {"http": "x"}}, {"cert": "c.pem"}):
            with self.assertRaisesRegex(NotImplementedError, list(kwargs)[0]):
                self.client.get("/", **kwargs)
        with self.assertRaisesRegex(NotImplementedError, "--insecure"):
            self.client.get("https://example.com/", verify=False)
        self.client.get("http://example.com/", verify=False)  # no TLS: nothing to verify
        self.client.get("/", stream=False, proxies=None, verify=True, cert=None)
        # stream=True is accepted: the engine reads the whole body first, which iter_content
        # and iter_lines then serve.
        self.client.get("/", stream=True)
        self.assertEqual(len(fake_hornet.sent), 3)

    def test_session_headers_are_written_through(self):
        native = self.client._native
        self.assertEqual(self.client.headers["user-agent"], "hornet")
        self.client.headers["X-Token"] = "t"
        self.client.headers.update({"X-Other": "o"})
        self.assertEqual(native.headers(), [("User-Agent", "hornet"), ("X-Token", "t"), ("X-Other", "o")])
        del self.client.headers["x-token"]
        self.client.headers = {"Authorization": "Bearer b"}
        self.assertEqual(native.headers(), [("Authorization", "Bearer b")])
        self.client.get("/", headers={"X-Req": b"v", "X-None": None})
        self.assertEqual(self.last["headers"], [("X-Req", "v")])


class ResponseFields(ClientTest):
    def test_fields(self):
        self.respond(fake_hornet.FakeResponse(
            status_code=200, url=BASE + "/final", elapsed=0.5, content="é".encode("latin-1"),
            headers=[("Content-Type", "text/html"), ("X-Dup", "a"), ("x-dup", "b")]))
        r = self.client.get("/p")
        self.assertEqual((r.status_code, r.ok, r.reason, r.url), (200, True, "OK", BASE + "/final"))
        self.assertEqual(r.headers["x-dup"], "a, b")
        self.assertEqual(r.encoding, "ISO-8859-1")  # text/* without charset, as requests
        self.assertEqual(r.text, "é")
        r.encoding = "utf-8"
        self.assertEqual(r.text, "\ufffd")
        self.assertEqual(r.elapsed.total_seconds(), 0.5)
        self.assertEqual(r.history, [])
        self.assertIsNone(r.error)
        self.assertEqual((r.request.method, r.request.url, r.request.path_url),
                         ("GET", BASE + "/p", "/p"))

    def test_text_encodings(self):
        for content_type, expected in (("application/json", "utf-8"), ("text/plain; charset=koi8-r", "koi8-r"),
                                       ("application/octet-stream", None)):
            self.respond(fake_hornet.FakeResponse(headers=[("Content-Type", content_type)], content=b"x"))
            self.assertEqual(self.client.get("/").encoding, expected)
        self.respond(fake_hornet.FakeResponse(content="ü".encode()))
        self.assertEqual(self.client.get("/").text, "ü")  # no charset, no chardet: UTF-8

    def test_json(self):
        self.respond(fake_hornet.FakeResponse(content=b'{"a": [1]}'))
        self.assertEqual(self.client.get("/").json(), {"a": [1]})
        self.respond(fake_hornet.FakeResponse(content=b"not json"))
        with self.assertRaises(requests.exceptions.JSONDecodeError) as caught:
            self.client.get("/").json()
        self.assertIsInstance(caught.exception, ValueError)

    def test_raise_for_status_texts(self):
        self.respond(fake_hornet.FakeResponse(status_code=404, reason="Not Found", url=BASE + "/x"))
        r = self.client.get("/x")
        self.assertFalse(r.ok)
        with self.assertRaises(requests.exceptions.HTTPError) as caught:
            r.raise_for_status()
        self.assertEqual(str(caught.exception), "404 Client Error: Not Found for url: http://example.com/x")
        self.respond(fake_hornet.FakeResponse(status_code=503, reason="Service Unavailable", url=BASE + "/y"))
        with self.assertRaisesRegex(requests.exceptions.HTTPError,
                                    "^503 Server Error: Service Unavailable for url: http://example.com/y$"):
            self.client.get("/y").raise_for_status()

    def test_transport_failure(self):
        text = "ConnectionRefusedError(111, 'Connection refused')"
        self.respond(fake_hornet.FakeResponse(status_code=0, reason="", error=text))
        r = self.client.get("/")
        self.assertEqual((r.status_code, r.content, r.text, r.ok), (0, None, "", False))
        self.assertIsInstance(r.error, requests.exceptions.ConnectionError)
        self.assertEqual((str(r.error), error_text(r.error)), (text, text))
        with self.assertRaises(requests.exceptions.ConnectionError):
            r.raise_for_status()
        self.respond(fake_hornet.FakeResponse(status_code=0, error="ReadTimeout('timed out')"))
        self.assertIsInstance(self.client.get("/").error, requests.exceptions.ReadTimeout)

    def test_response_cookies(self):
        self.respond(fake_hornet.FakeResponse(url=BASE + "/a/b", headers=[
            ("Set-Cookie", "sess=s1; Path=/; HttpOnly"), ("Set-Cookie", "pref=x"),
            ("Set-Cookie", "gone=1; Max-Age=0")]))
        cookies = self.client.get("/a/b").cookies
        self.assertEqual(cookies.get_dict(), {"sess": "s1", "pref": "x"})
        self.assertEqual({c.name: c.path for c in cookies}, {"sess": "/", "pref": "/a"})

    def test_success_outside_catch_response(self):
        with self.assertRaisesRegex(LocustError, "catch_response=True"):
            self.client.get("/").success()


class Listeners(ClientTest):
    def test_listener_kwargs(self):
        self.respond(fake_hornet.FakeResponse(status_code=500, reason="Internal Server Error",
                                              content=b"abc", elapsed=0.125, url=BASE + "/p?q=1"))
        response = self.client.get("/p?q=1")
        (meta,) = self.event.fired
        self.assertEqual((meta["request_type"], meta["name"], meta["response_time"], meta["response_length"]),
                         ("GET", "/p?q=1", 125.0, 3))
        self.assertIs(meta["response"], response)
        self.assertEqual(str(meta["exception"]),
                         "500 Server Error: Internal Server Error for url: http://example.com/p?q=1")
        self.assertEqual(meta["url"], BASE + "/p?q=1")
        self.assertEqual(meta["context"], {})

    def test_name_replaces_the_url_in_the_exception(self):
        self.respond(fake_hornet.FakeResponse(status_code=404, reason="Not Found"))
        response = self.client.get("/item/1", name="/item/[id]")
        meta = self.event.fired[0]
        self.assertEqual(meta["name"], "/item/[id]")
        self.assertTrue(str(meta["exception"]).endswith("for url: /item/[id]"))
        self.assertEqual(response.url, "http://example.com/")  # restored

    def test_fire_is_the_fallback(self):
        class Plain:
            def __init__(self):
                self.fired = []

            def fire(self, **kwargs):
                self.fired.append(kwargs)

        event = Plain()
        HttpSession(BASE, event, None).get("/")
        self.assertEqual(len(event.fired), 1)

    def test_no_listener_no_event(self):
        self.event.has_listeners = False
        self.client.get("/")
        self.assertEqual(self.event.fired, [])


class CatchResponse(ClientTest):
    def request(self, status=200, **kwargs):
        response = self.respond(fake_hornet.FakeResponse(status_code=status, url=BASE + "/c", **kwargs))
        return response, self.client.get("/c", catch_response=True, name="c")

    def test_success(self):
        native, r = self.request(500, reason="Internal Server Error")
        with r as inside:
            self.assertIs(inside, r)
            inside.success()
        self.assertEqual(native.outcome, [("success",), ("report",)])
        self.assertIsNone(self.event.fired[0]["exception"])

    def test_failure_text_and_exception(self):
        native, r = self.request()
        with r:
            r.failure("not what I wanted")
        self.assertEqual(native.outcome, [("failure", "CatchResponseError('not what I wanted')"), ("report",)])
        self.assertIsInstance(self.event.fired[0]["exception"], CatchResponseError)
        native, r = self.request()
        with r:
            r.failure(ValueError("bad <object at 0x7f00deadbeef>"))
        self.assertEqual(native.outcome[0], ("failure", "ValueError('bad <object at 0x....>')"))

    def test_response_error_in_block_is_the_failure(self):
        native, r = self.request()
        with r:
            raise ResponseError("bad payload")
        self.assertEqual(native.outcome, [("failure", "ResponseError('bad payload')"), ("report",)])

    def test_neither_called_the_status_decides(self):
        native, r = self.request(500, reason="Internal Server Error")
        with r:
            pass
        self.assertEqual(native.outcome, [("report",)])
        self.assertEqual(str(self.event.fired[0]["exception"]),
                         "500 Server Error: Internal Server Error for url: http://example.com/c")
        native, r = self.request(200)
        with r:
            pass
        self.assertIsNone(self.event.fired[1]["exception"])

    def test_other_exception_propagates_unrecorded(self):
        for error in (ValueError("inside"), RescheduleTask()):
            native, r = self.request()
            with self.assertRaises(type(error)):
                with r:
                    raise error
            self.assertEqual(native.outcome, [("discard",)])
        self.assertEqual(self.event.fired, [])

    def test_decided_then_exception_reports_and_propagates(self):
        native, r = self.request()
        with self.assertRaises(KeyError):
            with r:
                r.failure("first")
                raise KeyError("x")
        self.assertEqual(native.outcome, [("failure", "CatchResponseError('first')"), ("report",)])

    def test_outside_with_block(self):
        _, r = self.request()
        with self.assertRaisesRegex(LocustError, "with-block"):
            r.success()


class Cookies(ClientTest):
    def test_jar(self):
        jar = self.client.cookies
        jar["a"] = "1"
        jar.set("b", "2", domain="example.com", path="/x")
        jar.update({"c": "3"})
        self.assertEqual(self.client._native.jar,
                         [("a", "1", "", "/"), ("b", "2", "example.com", "/x"), ("c", "3", "", "/")])
        self.assertEqual((jar["a"], jar.get("b", domain="example.com"), jar.get("b", domain="x")),
                         ("1", "2", None))
        self.assertEqual(jar.get("zzz", "dflt"), "dflt")
        self.assertIn("c", jar)
        self.assertNotIn("zzz", jar)
        with self.assertRaises(KeyError):
            jar["zzz"]
        self.assertEqual(jar.keys(), ["a", "b", "c"])
        self.assertEqual(jar.items(), [("a", "1"), ("b", "2"), ("c", "3")])
        self.assertEqual(jar.get_dict(), {"a": "1", "b": "2", "c": "3"})
        self.assertEqual([(c.name, c.value, c.domain, c.path) for c in jar][1], ("b", "2", "example.com", "/x"))
        jar.clear()
        self.assertEqual(len(jar), 0)

    def test_per_request_cookies_are_not_kept(self):
        jar = requests.cookies.RequestsCookieJar()
        jar.set("j", "1")
        self.client.get("/", cookies=jar)
        self.assertEqual(self.last["cookies"], [("j", "1")])
        self.assertEqual(self.client._native.jar, [])


class Errors(unittest.TestCase):
    def test_error_text_is_locusts_parse_error(self):
        self.assertEqual(error_text(CatchResponseError("x")), "CatchResponseError('x')")
        self.assertEqual(error_text("plain"), "'plain'")
        self.assertEqual(error_text(None), "None")
        obj = object()
        self.assertEqual(error_text(ValueError(obj)), "ValueError(<object object at 0x....>)")

    def test_transport_error_classes(self):
        self.assertIsInstance(clients.transport_error("SSLError('x')"), requests.exceptions.SSLError)
        self.assertIsInstance(clients.transport_error("whatever"), requests.exceptions.ConnectionError)


if __name__ == "__main__":
    unittest.main()
