from locust import User, task


class Broken(User):
    @task
    def oops(self)
        pass
