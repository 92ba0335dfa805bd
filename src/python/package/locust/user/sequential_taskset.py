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


def seq_task(order):
    """Locust 0.x (0.11-0.14): marks a TaskSequence method as its ``order``-th task. Combined
    with @task(n), the method runs n times in a row."""

    def decorator_func(func):
        func.locust_task_order = order
        if not hasattr(func, "locust_task_weight"):
            func.locust_task_weight = 1
        return func

    return decorator_func


class TaskSequenceMeta(SequentialTaskSetMeta):
    """Locust 0.x's TaskSequence: base classes' tasks, the ``tasks`` list, then the
    @seq_task methods sorted by their order (each its @task weight times in a row)."""

    def __new__(mcs, classname, bases, class_dict):
        new_tasks = []
        for base in bases:
            if hasattr(base, "tasks") and base.tasks:
                new_tasks += base.tasks
        if isinstance(class_dict.get("tasks"), list):
            new_tasks.extend(class_dict["tasks"])
        ordered = [v for v in class_dict.values() if hasattr(v, "locust_task_order")]
        for value in sorted(ordered, key=lambda v: v.locust_task_order):
            new_tasks.extend([value] * value.locust_task_weight)
        class_dict["tasks"] = new_tasks
        apply_legacy_wait_time(class_dict, bases)
        return type.__new__(mcs, classname, bases, class_dict)


class TaskSequence(SequentialTaskSet, metaclass=TaskSequenceMeta):
    """Locust 0.x's SequentialTaskSet, ordered by @seq_task."""
