"""locust.contrib.fasthttp on the fake _hornet: FastHttpSession's arguments and rest()'s
automatic failure texts (Locust's)."""

import json
import unittest
from types import SimpleNamespace
from unittest import mock

import fake_hornet
import support  # noqa: F401  (installs the fake _hornet and Hornet's locust package)
from locust.contrib.fasthttp import FastHttpSession, FastHttpUser, RestResponseContextManager

BASE = "http://example.com"


class FastTest(unittest.TestCase):
    def setUp(self):
        fake_hornet.sent.clear()
        patcher = mock.patch.object(fake_hornet, "session", fake_hornet.FakeSession)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.respond(fake_hornet.FakeResponse())
        self.client = FastHttpSession(None, BASE, None, network_timeout=60.0)

    def respond(self, response):
        patcher = mock.patch.object(fake_hornet, "respond", lambda call: response)
        patcher.start()
        self.addCleanup(patcher.stop)
        return response

    @property
    def last(self):
        return fake_hornet.sent[-1]


class Requests(FastTest):
    def test_name_is_the_url_as_passed(self):
        self.client.get("/p?q=1")
        self.assertEqual((self.last["url"], self.last["name"]), (BASE + "/p?q=1", "/p?q=1"))
        self.assertEqual(self.last["timeout"], 60.0)  # network_timeout

    def test_bodies(self):
        self.client.post("/p", data={"a": "1 2"})
        self.assertEqual((self.last["body"], self.last["headers"]),
                         (b"a=1+2", [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]))
        self.client.post("/p", data="text")
        self.assertEqual(self.last["headers"], [("Content-Type", "text/plain; charset=utf-8")])
        self.client.post("/p", data=b"\x00")
        self.assertEqual(self.last["headers"], [("Content-Type", "application/octet-stream")])
        self.client.post("/p", json={"k": 1})
        self.assertEqual(self.last["body"], json.dumps({"k": 1}).encode())
        self.assertEqual(self.last["headers"], [("Content-Type", "application/json"),
                                                ("Accept", "application/json")])
        self.client.post("/p", data="x", headers={"content-type": "a/b"})
        self.assertEqual(self.last["headers"], [("content-type", "a/b")])

    def test_unknown_keyword(self):
        with self.assertRaisesRegex(TypeError, "verify"):
            self.client.get("/", verify=False)

    def test_response(self):
        self.respond(fake_hornet.FakeResponse(url=BASE + "/final", content="é".encode("latin-1"),
                                              headers=[("Content-Type", "text/plain; charset=latin-1")]))
        r = self.client.get("/start")
        self.assertEqual((r.text, r.url), ("é", BASE + "/start"))  # Locust: the URL requested
        self.respond(fake_hornet.FakeResponse(status_code=0, error="ConnectionRefusedError(111, 'x')"))
        r = self.client.get("/")
        self.assertIsNone(r.text)
        self.respond(fake_hornet.FakeResponse(status_code=404, reason="Not Found"))
        r = self.client.get("/gone")
        self.assertIn("404 Client Error", str(r.error))


class Rest(FastTest):
    def rest(self, content=b"", status=200, **kwargs):
        native = self.respond(fake_hornet.FakeResponse(status_code=status, content=content, **kwargs))
        return native, self.client.rest("POST", "/api", json={"a": 1})

    def test_js_and_headers(self):
        native, manager = self.rest(b'{"ok": true}')
        with manager as r:
            self.assertIsInstance(r, RestResponseContextManager)
            self.assertEqual(r.js, {"ok": True})
        self.assertEqual(dict(self.last["headers"]),
                         {"Content-Type": "application/json", "Accept": "application/json"})
        self.assertEqual(native.outcome, [("report",)])

    def test_not_json(self):
        native, manager = self.rest(b"<html>", 200)
        with manager as r:
            self.assertIsNone(r.js)
        self.assertEqual(native.outcome[0][1], repr(Exception(
            "Could not parse response as JSON. <html>, response code 200, error "
            "Expecting value: line 1 column 1 (char 0)")).replace("Exception", "CatchResponseError"))

    def test_no_response(self):
        native, manager = self.rest(status=0, error="ConnectionRefusedError(111, 'refused')")
        with manager:
            pass
        self.assertEqual(native.outcome[0],
                         ("failure", "CatchResponseError(\"ConnectionRefusedError(111, 'refused')\")"))

    def test_assertions(self):
        native, manager = self.rest(b'{"a": 1}')
        with manager as r:
            assert r.js["a"] == 2, "wrong a"
        self.assertEqual(native.outcome[0], ("failure", "CatchResponseError('wrong a')"))
        native, manager = self.rest(b'{"a": 1}')
        with manager as r:
            assert r.js["a"] == 2, "wrong a,"
        self.assertEqual(native.outcome[0],
                         ("failure", "CatchResponseError('wrong a, response was {\"a\": 1}')"))
        native, manager = self.rest(b'{"a": 1}')
        with manager as r:
            assert r.js["a"] == 2
        self.assertEqual(native.outcome[0], ("failure", "CatchResponseError('Assertion failed')"))

    def test_other_exception(self):
        native, manager = self.rest(b'{"a": 1}')
        with manager as r:
            r.js["missing"]
        text = native.outcome[0][1]
        message = text[len("CatchResponseError('"):-len("')")].replace("\\'", "'")
        self.assertTrue(message.startswith("KeyError: 'missing' at "), text)
        self.assertIn("test_fasthttp.py:", message)
        self.assertTrue(message.endswith('. Response was {"a": 1}'), text)

    def test_rest_underscore_adds_a_timestamp(self):
        with self.client.rest_("GET", "/api?x=1"):
            pass
        self.assertRegex(self.last["url"], r"^http://example.com/api\?x=1&_=\d+$")
        self.assertEqual(self.last["name"], "/api?x=1&_=...")


class User(unittest.TestCase):
    def test_client_kind_and_client(self):
        self.assertEqual(FastHttpUser._hornet_client, "fast")
        self.assertTrue(FastHttpUser.abstract)

        class MyUser(FastHttpUser):
            host = "http://example.com"
            network_timeout = 5.0

        environment = SimpleNamespace(events=SimpleNamespace(request=None), parsed_options=None)
        with mock.patch.object(fake_hornet, "session", fake_hornet.FakeSession):
            user = MyUser(environment)
        self.assertIsInstance(user.client, FastHttpSession)
        self.assertEqual(user.client.network_timeout, 5.0)


if __name__ == "__main__":
    unittest.main()
