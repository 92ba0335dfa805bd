"""bench/dist_master.py's locustfile for a Locust master whose workers are Hornet workers running
bench/scenarios/dist_user.lua: the master only needs the class name (WebsiteUser) to dispatch users;
the workers run their own definition of it.

    locust -f bench/locust/dist_user.py --master --master-bind-port 5557
"""
from locust import HttpUser, between, task


class WebsiteUser(HttpUser):
    wait_time = between(0.025, 0.075)

    @task
    def login_page(self):
        self.client.get("/accounts/login/")
