"""FastHttpUser: its client and rest() with RestResponseContextManager (.js, automatic failures
for non-JSON and failed assertions)."""

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

from itest_py import log


class FastUser(FastHttpUser):
    wait_time = constant(0)

    def check(self, ok, what):
        if not ok:
            log(f"bad {what}")

    def on_stop(self):
        self.client.get("/marker/stopped")

    @task
    def steps(self):
        check = self.check
        r = self.client.get("/echo/fast", headers={"X-Custom": "f"}, name="fast-get")
        check(r.status_code == 200 and r.json()["headers"].get("x-custom") == "f", "fast-get")
        r = self.client.post("/echo/fast", data=b"payload", name="fast-post")
        check(r.json()["body"] == "payload", "fast-post")
        self.client.get("/status/503", name="fast-503")  # a failure, recorded
        with self.client.get("/ok", catch_response=True, name="fast-cr") as r:
            r.failure("fast says no")

        with self.rest("POST", "/echo/rest", json={"a": 1}, name="rest-ok") as r:
            check(r.js is not None and r.js["method"] == "POST", "rest js")
            check(r.js["headers"].get("content-type") == "application/json", "rest type")
            check(r.js["headers"].get("accept") == "application/json", "rest accept")
        with self.rest("GET", "/ok", name="rest-not-json") as r:
            check(r.js is None, "rest-not-json js")
        with self.rest("GET", "/echo/rest", name="rest-assert") as r:
            assert r.js["method"] == "POST", "wrong method"
        with self.rest("GET", "/echo/rest", name="rest-keyerror") as r:
            r.js["no such key"]
        raise StopUser()
