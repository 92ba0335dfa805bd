"""User and HttpUser, plus Locust 0.x's Locust and HttpLocust.

Hornet's engine creates users (``_hornet_runtime.create_user``) and runs their tasks; a User
instance here holds what a task's code reads: ``environment``, ``client``, ``host``...
"""

from .._unsupported import NotSupportedByHornet
from ..exception import LocustError
from .task import TaskSet, apply_legacy_wait_time, get_tasks_from_base_classes
from .wait_time import constant

__all__ = ["User", "HttpUser", "Locust", "HttpLocust"]


class UserMeta(type):
    """Collects a User's tasks like TaskSetMeta, marks it runnable unless it says
    ``abstract = True``, and accepts Locust 0.x's ``task_set = SomeTaskSet`` (meaning
    ``tasks = [SomeTaskSet]``) and min_wait/max_wait/wait_function.
    """

    def __new__(mcs, classname, bases, class_dict):
        task_set = class_dict.get("task_set")
        if task_set is not None and class_dict.get("tasks") is None:
            if not (isinstance(task_set, type) and issubclass(task_set, TaskSet)):
                raise LocustError(f"{classname}.task_set must be a TaskSet class, not {task_set!r}")
            class_dict["tasks"] = [task_set]
        class_dict["tasks"] = get_tasks_from_base_classes(bases, class_dict)
        if not class_dict.get("abstract"):
            class_dict["abstract"] = False
        apply_legacy_wait_time(class_dict, bases)
        return type.__new__(mcs, classname, bases, class_dict)


class User(metaclass=UserMeta):
    """A simulated user: Hornet runs its ``tasks`` with ``wait_time`` between them.

    Class attributes: ``tasks``, ``wait_time`` (default ``constant(0)``), ``weight``,
    ``fixed_count``, ``host``, ``abstract``.
    """

    host = None
    min_wait = None  # Locust 0.x: milliseconds
    max_wait = None
    wait_time = constant(0)
    wait_function = None
    tasks = []
    weight = 1
    fixed_count = 0
    abstract = True

    def __init__(self, environment):
        super().__init__()
        self.environment = environment
        self._state = None
        self._taskset_instance = None

    def on_start(self):
        """Called when the user starts running."""

    def on_stop(self):
        """Called when the user stops running."""

    def wait(self):
        """Sleeps for ``wait_time()`` seconds (a stopping user is stopped during it)."""
        import _hornet

        _hornet.sleep(self.wait_time())

    def context(self):
        """A dict added to the ``context`` of this user's request events."""
        return {}

    @classmethod
    def fullname(cls):
        """The class's qualified name, e.g. my_module.MyUser."""
        return ".".join(x for x in (cls.__module__ + "." + cls.__qualname__).split(".") if x != "<locals>")

    def run(self):
        raise NotSupportedByHornet("locust.User.run", "Hornet's engine runs the users")

    def start(self, group):
        raise NotSupportedByHornet("locust.User.start", "Hornet's engine starts the users")

    def stop(self, force=False):
        raise NotSupportedByHornet(
            "locust.User.stop", "raise locust.exception.StopUser in the user's task instead"
        )

    @property
    def greenlet(self):
        raise NotSupportedByHornet("locust.User.greenlet")

    @property
    def group(self):
        raise NotSupportedByHornet("locust.User.group")


class HttpUser(User):
    """A User with an HTTP ``client`` (locust.clients.HttpSession) on ``host``."""

    abstract = True
    pool_manager = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.host is None:
            raise LocustError(
                "You must specify the base host. Either in the host attribute in the User class, "
                "or on the command line using the --host option."
            )
        from ..clients import HttpSession

        self.client = HttpSession(
            base_url=self.host,
            request_event=self.environment.events.request,
            user=self,
        )


class Locust(User):
    """Locust 0.x's User: waits 1 s between tasks unless min_wait/max_wait say otherwise."""

    abstract = True
    min_wait = 1000
    max_wait = 1000
    client = None


class HttpLocust(HttpUser):
    """Locust 0.x's HttpUser: ``task_set = X`` for its tasks; waits 1 s between tasks unless
    min_wait/max_wait (milliseconds) say otherwise."""

    abstract = True
    min_wait = 1000
    max_wait = 1000
