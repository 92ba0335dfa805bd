"""Wait times: between, constant, constant_pacing, constant_throughput.

Each returns a WaitTime object rather than Locust's lambda. Set as a class attribute it binds
like a method, so ``self.wait_time()`` works as in Locust; ``describe()`` gives the tuple the
C++ side runs natively (``("between", a, b)``...), so these waits cost no Python call.
"""

import random
import time


class WaitTime:
    """A wait time function ``wait(instance) -> seconds`` that also describes itself."""

    def __call__(self, instance):
        raise NotImplementedError

    def describe(self):
        """The contract's wait tuple, e.g. ``("constant", 1.0)``."""
        raise NotImplementedError

    def __get__(self, instance, owner=None):
        # Bind like a function: `user.wait_time()` calls self(user).
        if instance is None:
            return self
        return _BoundWaitTime(self, instance)

    def __repr__(self):
        kind, *args = self.describe()
        return f"{kind}({', '.join(repr(a) for a in args)})"


class _BoundWaitTime:
    """``instance.wait_time``: calling it returns the next wait in seconds."""

    __slots__ = ("__func__", "__self__")

    def __init__(self, func, instance):
        self.__func__ = func
        self.__self__ = instance

    def __call__(self):
        return self.__func__(self.__self__)

    def __repr__(self):
        return f"<bound wait time {self.__func__!r} of {self.__self__!r}>"


class _Between(WaitTime):
    def __init__(self, min_wait, max_wait):
        self.min_wait = min_wait
        self.max_wait = max_wait

    def __call__(self, instance):
        return self.min_wait + random.random() * (self.max_wait - self.min_wait)

    def describe(self):
        return ("between", float(self.min_wait), float(self.max_wait))


class _Constant(WaitTime):
    def __init__(self, wait_time):
        self.wait_time = wait_time

    def __call__(self, instance):
        return self.wait_time

    def describe(self):
        return ("constant", float(self.wait_time))


class _ConstantPacing(WaitTime):
    """Waits so that a task starts every ``wait_time`` seconds; state kept on the instance."""

    def __init__(self, wait_time):
        self.wait_time = wait_time

    def __call__(self, instance):
        if not hasattr(instance, "_cp_last_run"):
            instance._cp_last_wait_time = self.wait_time
            instance._cp_last_run = time.time()
            return self.wait_time
        run_time = time.time() - instance._cp_last_run - instance._cp_last_wait_time
        instance._cp_last_wait_time = max(0, self.wait_time - run_time)
        instance._cp_last_run = time.time()
        return instance._cp_last_wait_time

    def describe(self):
        return ("pacing", float(self.wait_time))


class _ConstantThroughput(_ConstantPacing):
    def __init__(self, task_runs_per_second):
        super().__init__(1 / task_runs_per_second)
        self.task_runs_per_second = task_runs_per_second

    def describe(self):
        return ("throughput", float(self.task_runs_per_second))


def between(min_wait, max_wait):
    """A random wait, uniform between ``min_wait`` and ``max_wait`` seconds."""
    return _Between(min_wait, max_wait)


def constant(wait_time):
    """Always ``wait_time`` seconds."""
    return _Constant(wait_time)


def constant_pacing(wait_time):
    """Waits so that a task starts every ``wait_time`` seconds (0 if a task overran)."""
    return _ConstantPacing(wait_time)


def constant_throughput(task_runs_per_second):
    """``task_runs_per_second`` tasks per second per user: constant_pacing(1 / n)."""
    return _ConstantThroughput(task_runs_per_second)


class MillisecondWaitFunction(WaitTime):
    """Locust 0.x's ``wait_function`` (a method returning milliseconds) as a wait_time."""

    def __call__(self, instance):
        return instance.wait_function() / 1000.0

    def describe(self):
        return ("custom",)


def legacy_wait_time(class_dict, bases):
    """The wait_time that Locust 0.x's attributes in ``class_dict`` mean, or None.

    ``wait_function`` (milliseconds) becomes a custom wait; ``min_wait``/``max_wait``
    (milliseconds, either possibly inherited) become ``between(min / 1000, max / 1000)``
    (``constant`` when equal: Locust 0.x's default of 1000 and 1000 is a 1 s wait).
    Only when the class does not set ``wait_time`` itself.
    """
    if "wait_time" in class_dict:
        return None
    if class_dict.get("wait_function") is not None:
        return MillisecondWaitFunction()
    if "min_wait" not in class_dict and "max_wait" not in class_dict:
        return None

    def resolve(name):
        if name in class_dict:
            return class_dict[name]
        for base in bases:
            if hasattr(base, name):
                return getattr(base, name)
        return None

    min_wait, max_wait = resolve("min_wait"), resolve("max_wait")
    if min_wait is None or max_wait is None:
        return None
    if min_wait == max_wait:
        return constant(min_wait / 1000.0)
    return between(min_wait / 1000.0, max_wait / 1000.0)
