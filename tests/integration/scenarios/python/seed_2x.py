# The seed's locustfile in Locust 2.x spelling: HttpUser, tasks = [...], wait_time = between().
from locust import HttpUser, TaskSet, between, task


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
    wait_time = between(0.5, 1.5)
