from .task import task, tag, TaskSet
from .users import HttpUser, User
