"""bench/python_peers.py case (c): many Python users that mostly wait, for memory per user.

Each user GETs a small static file, then waits 1 s (constant(1)); 10,000 of them hold 10,000 open
connections at about 10,000 requests per second. Before its first task a user pauses for a random
fraction of a second: users spawn in batches (a spawn rate of R starts R users at once), and a
constant wait would keep a batch in step, so every second the server would get thousands of
requests at the same instant and the generator would hold buffers for all of them at once.

    locust -f bench/python/idle_users.py -H http://127.0.0.1:8080 -u 10000 -r 5000 -t 17s --headless
    hornet -f bench/python/idle_users.py -H http://127.0.0.1:8080 -u 10000 -r 5000 -t 17s --headless
"""
import random
import time

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class IdleUser(FastHttpUser):
    wait_time = constant(1)

    def on_start(self):
        time.sleep(random.random())  # cooperative in both (Locust monkey-patches with gevent)

    @task
    def hello(self):
        self.client.get("/hello.txt")
