"""Benchmark case (b) for Locust: log in once with the csrftoken cookie, then tasks 1:2:2, no wait.

The twin of bench/scenarios/seed_like.cpp, against bench/nginx (which answers 403 without the
session cookie and 400 to the AJAX path without X-Requested-With):

    locust -f bench/locust/seed_like.py -H http://127.0.0.1:8080 -u 50 -r 50 -t 15s --headless
"""
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class SeedLikeUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.get("/accounts/login/")
        # FastHttpSession keeps its cookies in an http.cookiejar.CookieJar.
        csrftoken = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        self.client.post(
            "/accounts/login/",
            data={"username": "username", "password": "P455w0rd"},
            headers={"X-CSRFToken": csrftoken},
        )

    @task(1)
    def index(self):
        self.client.get("/")

    @task(2)
    def heavy_url(self):
        self.client.get("/heavy_url/")

    @task(2)
    def another_heavy_ajax_url(self):
        self.client.get("/another_heavy_ajax_url/", headers={"X-Requested-With": "XMLHttpRequest"})
