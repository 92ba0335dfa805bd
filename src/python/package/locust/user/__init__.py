from .task import task, tag, TaskSet
from .users import HttpUser, User

__all__ = ["task", "tag", "TaskSet", "HttpUser", "User"]
