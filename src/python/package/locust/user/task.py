"""Tasks and TaskSets: the @task and @tag decorators, TaskSet and its metaclass.

The task loop itself (Locust's ``TaskSet.run``) is Hornet's C++ engine: it picks tasks from
what ``_hornet_runtime.describe`` reports about each class, calls them, and waits between
them. What stays here is what a task's code touches: ``self.user``/``self.locust``,
``self.parent``, ``self.client``, ``self.environment``, ``wait()``, ``interrupt()``.
"""

import logging

from .._unsupported import NotSupportedByHornet
from ..exception import InterruptTaskSet, MissingWaitTimeError
from .wait_time import legacy_wait_time

logger = logging.getLogger(__name__)

LOCUST_STATE_RUNNING, LOCUST_STATE_WAITING, LOCUST_STATE_STOPPING = ["running", "waiting", "stopping"]


def task(weight=1):
    """Declares a method (or nested TaskSet class) as a task: ``@task`` or ``@task(weight)``."""

    def decorator_func(func):
        if func.__name__ in ["on_stop", "on_start"]:
            logging.warning(
                "You have tagged your on_stop/start function with @task. This will make the "
                "method get called both as a task AND on stop/start."
            )
        if func.__name__ == "run":
            raise Exception(
                "User.run() is a method used internally by Locust, and you must not override it "
                "or register it as a task"
            )
        func.locust_task_weight = weight
        return func

    if callable(weight):  # @task without parentheses
        func, weight = weight, 1
        return decorator_func(func)
    return decorator_func


def tag(*tags):
    """Tags a task (for --tags/--exclude-tags); on a TaskSet or User, tags all its tasks."""

    def decorator_func(decorated):
        if hasattr(decorated, "tasks"):
            decorated.tasks = list(map(tag(*tags), decorated.tasks))
        else:
            if "locust_tag_set" not in decorated.__dict__:
                decorated.locust_tag_set = set()
            decorated.locust_tag_set |= set(tags)
        return decorated

    if len(tags) == 0 or callable(tags[0]):
        raise ValueError("No tag name was supplied")
    return decorator_func


def get_tasks_from_base_classes(bases, class_dict):
    """The class's task list as Locust builds it: base classes' tasks, then the ``tasks``
    attribute (a list of tasks or ``(task, weight)`` pairs, or a ``{task: weight}`` dict),
    then @task methods; each task repeated ``weight`` times.
    """
    new_tasks = []
    for base in bases:
        if hasattr(base, "tasks") and base.tasks:
            new_tasks += base.tasks

    if "tasks" in class_dict and class_dict["tasks"] is not None:
        tasks = class_dict["tasks"]
        if isinstance(tasks, dict):
            tasks = tasks.items()
        for item in tasks:
            if isinstance(item, tuple):
                item, count = item
                new_tasks.extend([item] * count)
            else:
                new_tasks.append(item)

    for item in class_dict.values():
        if "locust_task_weight" in dir(item):
            new_tasks.extend([item] * item.locust_task_weight)
    return new_tasks


def apply_legacy_wait_time(class_dict, bases):
    """Turns Locust 0.x's min_wait/max_wait/wait_function in ``class_dict`` into wait_time."""
    wait_time = legacy_wait_time(class_dict, bases)
    if wait_time is not None:
        class_dict["wait_time"] = wait_time


class TaskSetMeta(type):
    """Collects a TaskSet's tasks (see get_tasks_from_base_classes) into ``tasks``."""

    def __new__(mcs, classname, bases, class_dict):
        class_dict["tasks"] = get_tasks_from_base_classes(bases, class_dict)
        apply_legacy_wait_time(class_dict, bases)
        return type.__new__(mcs, classname, bases, class_dict)


class TaskSet(metaclass=TaskSetMeta):
    """A set of tasks a User runs, picked at random by weight, with a wait between them.

    A TaskSet runs until a task calls ``self.interrupt()``; its tasks may be nested TaskSets.
    Without a ``wait_time`` of its own it waits as its User does.
    """

    tasks = []
    min_wait = None  # Locust 0.x: milliseconds
    max_wait = None
    wait_function = None

    def __init__(self, parent):
        self._task_queue = []
        if isinstance(parent, TaskSet):
            self._user = parent.user
        else:
            self._user = parent
        self._parent = parent

    @property
    def user(self):
        """The User instance running this TaskSet."""
        return self._user

    @property
    def locust(self):
        """Locust 0.x's name for ``user``."""
        return self._user

    @property
    def parent(self):
        """The parent TaskSet instance, or the User for a User's own TaskSet."""
        return self._parent

    @property
    def environment(self):
        return self._user.environment

    @property
    def client(self):
        """The User's client."""
        return self._user.client

    def on_start(self):
        """Called when the user starts running this TaskSet."""

    def on_stop(self):
        """Called when the user stops running this TaskSet (interrupted or stopped)."""

    def wait_time(self):
        """Seconds to wait between tasks: the User's wait_time unless this class sets one."""
        if self.user.wait_time:
            return self.user.wait_time()
        raise MissingWaitTimeError(
            "You must define a wait_time method on either the %s or %s class"
            % (type(self.user).__name__, type(self).__name__)
        )

    def wait(self):
        """Sleeps for ``wait_time()`` seconds (a stopping user is stopped during it)."""
        self._sleep(self.wait_time())

    def _sleep(self, seconds):
        import _hornet

        _hornet.sleep(seconds)

    def interrupt(self, reschedule=True):
        """Ends this TaskSet: control goes back to the parent, which picks its next task at
        once if ``reschedule`` (else after waiting)."""
        raise InterruptTaskSet(reschedule)

    def run(self):
        raise NotSupportedByHornet(
            "locust.TaskSet.run", "Hornet's engine runs TaskSets; a task cannot run one itself"
        )

    def schedule_task(self, task_callable, first=False):
        raise NotSupportedByHornet(
            "locust.TaskSet.schedule_task", "Hornet's engine picks the tasks from `tasks`"
        )

    def get_next_task(self):
        raise NotSupportedByHornet(
            "locust.TaskSet.get_next_task", "Hornet's engine picks the tasks from `tasks`"
        )

    def execute_task(self, task):
        raise NotSupportedByHornet(
            "locust.TaskSet.execute_task", "Hornet's engine runs the tasks from `tasks`"
        )


class DefaultTaskSet(TaskSet):
    """Locust's root TaskSet holding a User's own tasks (Hornet's engine does this itself)."""
