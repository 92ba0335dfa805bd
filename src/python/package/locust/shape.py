"""LoadTestShape: a class in the locustfile that sets the user count over time."""

import time


class LoadTestShape:
    """Subclass it and define ``tick()``; Hornet calls it once a second while a test runs.

    ``tick()`` returns ``(user_count, spawn_rate)``, ``(user_count, spawn_rate,
    [UserClass, ...])``, or None to stop the test. ``runner`` is the environment's runner.
    """

    runner = None

    def __init__(self):
        self.start_time = time.perf_counter()

    def reset_time(self):
        """Restarts the run-time clock (Hornet calls it when a test starts)."""
        self.start_time = time.perf_counter()

    def get_run_time(self):
        """Seconds since the test started."""
        return time.perf_counter() - self.start_time

    def get_current_user_count(self):
        """The runner's current user count."""
        return self.runner.user_count

    def tick(self):
        """The stage to run now (see the class docstring); this base class stops at once."""
        return None
