"""HttpUser's client (Locust 2.12's HttpSession, on requests' API) against itest_server: each
ApiUser runs its steps once, logging "bad <what>" to $PY_LOG for any check that fails, then
stops; on_stop requests /marker/stopped. The test also reads what the server received."""

from locust import HttpUser, constant, task
from locust.exception import ResponseError, StopUser

from itest_py import log, next_id


class ApiUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.uid = next_id()
        self.client.headers["X-Itest-User"] = f"user{self.uid}"  # sent with every request

    def check(self, ok, what):
        if not ok:
            log(f"bad {what}")

    def on_stop(self):
        self.client.get("/marker/stopped")

    @task
    def steps(self):
        c, check = self.client, self.check

        for method in ("get", "post", "put", "patch", "delete", "options"):
            r = getattr(c, method)(f"/echo/{method}", name=f"m-{method}")
            check(r.status_code == 200 and r.json()["method"] == method.upper(), method)
        r = c.head("/echo/head", name="m-head")
        check(r.status_code == 200 and r.content == b"", "head")
        r = c.request("PUT", "/echo/request", name="m-request")
        check(r.json()["method"] == "PUT", "request")
        c.get("/echo/default?q=1")  # named by path and query

        r = c.get("/echo/params", params={"a": "1", "b": ["x", "y"]}, name="params-dict")
        check(r.json()["query"] == {"a": ["1"], "b": ["x", "y"]}, "params-dict")
        r = c.get("/echo/params", params=[("k", "1"), ("k", "2 3")], name="params-list")
        check(r.json()["query"] == {"k": ["1", "2 3"]}, "params-list")

        r = c.post("/echo/data", data={"u": "a b", "p": "1"}, name="data-dict")
        check(r.json()["body"] == "u=a+b&p=1", "data-dict body")
        check(r.json()["headers"].get("content-type") == "application/x-www-form-urlencoded",
              "data-dict content-type")
        r = c.post("/echo/data", data="raw text", name="data-str")
        check(r.json()["body"] == "raw text", "data-str")
        r = c.post("/echo/data", data=b"\x00\x01\xff", name="data-bytes")
        check(r.json()["body"] == "\x00\x01\xff", "data-bytes")
        r = c.post("/echo/json", json={"k": [1, 2]}, name="json")
        check(r.json()["headers"].get("content-type") == "application/json", "json type")
        import json
        check(json.loads(r.json()["body"]) == {"k": [1, 2]}, "json body")

        r = c.get("/echo/headers", headers={"X-Custom": "v1"}, name="headers")
        check(r.json()["headers"].get("x-custom") == "v1", "headers")
        check(r.json()["headers"].get("x-itest-user") == f"user{self.uid}", "session header")
        r = c.get("/echo/cookies", cookies={"percall": "1"}, name="cookies-per-request")
        check("percall=1" in r.json()["headers"].get("cookie", ""), "per-request cookie")
        check("percall" not in c.cookies, "per-request cookie kept")  # requests does not keep it
        r = c.get("/basic", auth=("user", "pa:ss"), name="auth")
        check(r.status_code == 200 and r.text == "welcome", "auth")
        r = c.post("/echo/files", data={"field": "v"},
                   files={"upload": ("hello.txt", b"hello file", "text/plain")}, name="files")
        check(r.json()["headers"].get("content-type", "").startswith("multipart/form-data"),
              "files content-type")

        r = c.get("/redirect/302", name="redirect")
        check(r.status_code == 200 and r.url.endswith("/landing/302") and r.text == "landed",
              "redirect")
        r = c.get("/redirect/302", allow_redirects=False, name="no-redirect")
        check(r.status_code == 302 and r.headers["location"] == "/landing/302", "no-redirect")

        r = c.get("/slow?delay=3", timeout=0.5, name="timeout")
        check(not r.ok, "timeout")

        r = c.get("/ok", name="fields")
        check(r.status_code == 200 and r.ok and r.reason == "OK", "status fields")
        check(r.text == "ok" and r.content == b"ok", "body fields")
        check(r.headers["content-type"] == r.headers["CONTENT-TYPE"] == "text/plain",
              "case-insensitive headers")
        check(r.elapsed.total_seconds() >= 0, "elapsed")
        r = c.get("/status/404", name="status-404")
        check(not r.ok and r.status_code == 404, "404")
        try:
            r.raise_for_status()
            check(False, "raise_for_status did not raise")
        except Exception as e:  # requests.exceptions.HTTPError
            check(str(e) == f"404 Client Error: Not Found for url: {self.host}/status/404",
                  f"raise_for_status text {str(e)!r}")

        r = c.get(f"/cookies/set?sess=s{self.uid}", name="cookie-set")
        check(r.cookies.get("sess") == f"s{self.uid}", "response cookies")
        check(c.cookies.get("sess") == f"s{self.uid}", "session cookies")
        c.get("/cookies/echo", name="cookie-echo")  # the server checks the Cookie header

        with c.get("/ok", catch_response=True, name="cr-success") as r:
            r.success()
        with c.get("/status/500", catch_response=True, name="cr-success-500") as r:
            r.success()
        with c.get("/ok", catch_response=True, name="cr-failure") as r:
            r.failure("not what I wanted")
        with c.get("/ok", catch_response=True, name="cr-response-error") as r:
            raise ResponseError("bad payload")
        with c.get("/status/500", catch_response=True, name="cr-neither"):
            pass
        try:
            with c.get("/ok", catch_response=True, name="cr-value-error"):
                raise ValueError("inside with")
        except ValueError:
            log("value error propagated")
        raise StopUser()
