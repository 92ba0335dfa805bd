"""Benchmark case (a) for Locust: FastHttpUser GETs one small static file with no wait.

The twin of `hornet http://.../hello.txt` (case a), against bench/nginx:

    locust -f bench/locust/plain_get.py -H http://127.0.0.1:8080 -u 50 -r 50 -t 15s --headless
"""
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class PlainGetUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def hello(self):
        self.client.get("/hello.txt")
