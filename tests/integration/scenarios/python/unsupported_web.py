from locust import User, task, web  # noqa: F401  (Flask routes: not in Hornet)


class Never(User):
    @task
    def t(self):
        pass
