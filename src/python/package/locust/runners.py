"""Locust's runner, as a proxy of Hornet's (C++) runner.

``environment.runner`` is a LocalRunner, MasterRunner or WorkerRunner per the command line, so
that ``isinstance`` checks in init listeners work. It reads the run's state and user count
from the snapshot Hornet sends each statistics tick, and forwards ``quit()`` and ``stop()``.
Anything else a Locust runner has raises an error naming it.
"""

from ._unsupported import NotSupportedByHornet, UnsupportedAttributeError, unsupported_class

STATE_INIT, STATE_SPAWNING, STATE_RUNNING, STATE_CLEANUP, STATE_STOPPING, STATE_STOPPED, STATE_MISSING = [
    "ready",
    "spawning",
    "running",
    "cleanup",
    "stopping",
    "stopped",
    "missing",
]
WORKER_REPORT_INTERVAL = 3.0
CPU_MONITOR_INTERVAL = 5.0
CPU_WARNING_THRESHOLD = 90
HEARTBEAT_INTERVAL = 1
HEARTBEAT_LIVENESS = 3
HEARTBEAT_DEAD_INTERNAL = -60
FALLBACK_INTERVAL = 5
CONNECT_TIMEOUT = 5
CONNECT_RETRY_COUNT = 60


class Runner:
    """The run as Locust's user code sees it: ``state``, ``user_count``, ``stats``,
    ``environment``, ``user_classes``, ``quit()``, ``stop()``."""

    def __init__(self, environment):
        self.environment = environment
        self.state = STATE_INIT
        self.user_count = 0

    @property
    def stats(self):
        return self.environment.stats

    @property
    def user_classes(self):
        return self.environment.user_classes

    @property
    def user_classes_by_name(self):
        return self.environment.user_classes_by_name

    def quit(self):
        """Ends the whole run (the program exits after its final statistics)."""
        import _hornet

        _hornet.quit()

    def stop(self):
        """Stops the users; the program (and web UI) stays up."""
        import _hornet

        _hornet.stop()

    def _update(self, snapshot):
        self.state = snapshot.get("state", self.state)
        self.user_count = int(snapshot.get("user_count", self.user_count))

    def start(self, user_count, spawn_rate, wait=False, user_classes=None):
        raise NotSupportedByHornet(
            "locust.runners.Runner.start", "start a test with --headless/--autostart or the web UI"
        )

    def send_message(self, msg_type, data=None, client_id=None):
        raise NotSupportedByHornet("locust.runners.Runner.send_message", "custom messages")

    def register_message(self, msg_type, listener):
        raise NotSupportedByHornet("locust.runners.Runner.register_message", "custom messages")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise UnsupportedAttributeError(f"locust.runners.Runner.{name}")


class LocalRunner(Runner):
    """The runner of a standalone run."""


class DistributedRunner(Runner):
    """Base of MasterRunner and WorkerRunner."""


class MasterRunner(DistributedRunner):
    """The runner of a ``--master`` process."""


class WorkerRunner(DistributedRunner):
    """The runner of a ``--worker`` process."""


WorkerNode = unsupported_class("locust.runners.WorkerNode")
