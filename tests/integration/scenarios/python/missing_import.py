from locust import User, task
import hornet_itest_no_such_module  # noqa: F401


class Never(User):
    @task
    def t(self):
        pass
