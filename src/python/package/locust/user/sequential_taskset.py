"""SequentialTaskSet: a TaskSet whose tasks run in declaration order, weights ignored."""

from .task import TaskSet, TaskSetMeta, apply_legacy_wait_time


class SequentialTaskSetMeta(TaskSetMeta):
    """Collects the tasks in declaration order: base classes' tasks, then the ``tasks`` list
    and @task methods as they appear in the class body (an @task(n) method n times in a row).
    """

    def __new__(mcs, classname, bases, class_dict):
        new_tasks = []
        for base in bases:
            if hasattr(base, "tasks") and base.tasks:
                new_tasks += base.tasks
        for key, value in class_dict.items():
            if key == "tasks":
                if isinstance(value, list):
                    new_tasks.extend(value)
                else:
                    raise ValueError("On SequentialTaskSet the task attribute can only be set to a list")
            if "locust_task_weight" in dir(value):
                new_tasks.extend([value] * value.locust_task_weight)
        class_dict["tasks"] = new_tasks
        apply_legacy_wait_time(class_dict, bases)
        return type.__new__(mcs, classname, bases, class_dict)


class SequentialTaskSet(TaskSet, metaclass=SequentialTaskSetMeta):
    """Like TaskSet, but its tasks run one after the other in the order they are declared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._task_index = 0
