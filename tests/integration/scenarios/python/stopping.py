"""Stopping: users in a long task (time.sleep, cooperative on Hornet as under gevent)."""

import time

from locust import User, constant, task

from itest_py import log, mark


class SleeperUser(User):
    wait_time = constant(0)

    @task
    def slow(self):
        mark("begin")
        time.sleep(1.5)
        mark("end")


class BusyUser(User):
    wait_time = constant(0.05)

    @task
    def work(self):
        mark("busy")
        log("busy")

    def on_stop(self):
        mark("busy on_stop")
