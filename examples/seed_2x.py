"""The seed's locustfile (examples/seed.py) in Locust 2.x spelling, run unchanged by Locust and
by `hornet -f` (bench/python_peers.py case (b); tests/integration/test_python.py).

Its TaskSet verbatim (login in on_start: GET the login page for the csrftoken cookie, POST the
form with the token in X-CSRFToken; then tasks 1:2:2), HttpUser instead of the removed HttpLocust,
`tasks = [...]` instead of `task_set =`, and no wait between tasks (constant(0)), so the
generator, not the wait, sets the pace. bench/nginx serves the paths and answers 403 without the
session cookie and 400 to the AJAX path without X-Requested-With.

    locust -f examples/seed_2x.py -H http://127.0.0.1:8080 -u 50 -r 50 -t 10s --headless
    hornet -f examples/seed_2x.py -H http://127.0.0.1:8080 -u 50 -r 50 -t 10s --headless
"""
from locust import HttpUser, TaskSet, constant, task


class UserBehavior(TaskSet):

    def on_start(self):
        self.login()

    def login(self):
        # GET login page to get csrftoken from it
        response = self.client.get('/accounts/login/')
        csrftoken = response.cookies['csrftoken']
        # POST to login page with csrftoken
        self.client.post('/accounts/login/',
                         {'username': 'username', 'password': 'P455w0rd'},
                         headers={'X-CSRFToken': csrftoken})

    @task(1)
    def index(self):
        self.client.get('/')

    @task(2)
    def heavy_url(self):
        self.client.get('/heavy_url/')

    @task(2)
    def another_heavy_ajax_url(self):
        # ajax GET
        self.client.get('/another_heavy_ajax_url/',
                        headers={'X-Requested-With': 'XMLHttpRequest'})


class WebsiteUser(HttpUser):
    tasks = [UserBehavior]
    wait_time = constant(0)
