"""Sleeping in tasks cooperates: time.sleep and gevent.sleep suspend only the calling user."""

import time

from locust import User, constant, task

from itest_py import mark


class TimeSleepUser(User):
    wait_time = constant(0)

    @task
    def nap(self):
        mark("time begin")
        time.sleep(0.5)
        mark("time end")


class GeventSleepUser(User):
    wait_time = constant(0)

    @task
    def nap(self):
        import gevent

        mark("gevent begin")
        gevent.sleep(0.5)
        mark("gevent end")
