"""Environment: what a locustfile's listeners and users reach through ``environment``.

Hornet builds one (``_hornet_runtime.configure``) after parsing the command line: ``host``,
``parsed_options``, ``events`` (``locust.events``), ``user_classes``, ``shape_class``,
``runner`` and ``stats`` (proxies of Hornet's run, refreshed each statistics tick),
``process_exit_code`` (set it in a ``quitting`` listener to choose the exit code).
"""

from operator import methodcaller

from ._unsupported import NotSupportedByHornet
from .event import Events
from .runners import LocalRunner, MasterRunner, WorkerRunner
from .shape import LoadTestShape
from .stats import RequestStats


class Environment:
    def __init__(
        self,
        *,
        user_classes=None,
        shape_class=None,
        tags=None,
        locustfile=None,
        exclude_tags=None,
        events=None,
        host=None,
        reset_stats=False,
        stop_timeout=None,
        catch_exceptions=True,
        parsed_options=None,
        available_user_classes=None,
        available_shape_classes=None,
    ):
        self.runner = None
        self.web_ui = None
        self.process_exit_code = None
        self.events = events if events is not None else Events()
        self.locustfile = locustfile
        self.user_classes = user_classes or []
        self.shape_class = shape_class
        self.tags = tags
        self.exclude_tags = exclude_tags
        self.stats = RequestStats()
        self.host = host
        self.reset_stats = reset_stats
        self.stop_timeout = stop_timeout
        self.catch_exceptions = catch_exceptions
        self.parsed_options = parsed_options
        self.available_user_classes = available_user_classes
        self.available_shape_classes = available_shape_classes
        self._validate_user_class_name_uniqueness()
        self._validate_shape_class_instance()

    def _create_runner(self, runner_class):
        if self.runner is not None:
            from .exception import RunnerAlreadyExistsError

            raise RunnerAlreadyExistsError(f"Environment.runner already exists ({self.runner})")
        self.runner = runner_class(self)
        if self.shape_class is not None:
            self.shape_class.runner = self.runner
        return self.runner

    def create_local_runner(self):
        """Attaches a LocalRunner (a proxy of Hornet's runner) and returns it."""
        return self._create_runner(LocalRunner)

    def create_master_runner(self, master_bind_host="*", master_bind_port=5557):
        """Attaches a MasterRunner (a proxy of Hornet's runner) and returns it."""
        return self._create_runner(MasterRunner)

    def create_worker_runner(self, master_host=None, master_port=None):
        """Attaches a WorkerRunner (a proxy of Hornet's runner) and returns it."""
        return self._create_runner(WorkerRunner)

    def create_web_ui(self, *args, **kwargs):
        raise NotSupportedByHornet(
            "locust.env.Environment.create_web_ui", "Hornet serves its web UI itself"
        )

    def assign_equal_weights(self):
        raise NotSupportedByHornet("locust.env.Environment.assign_equal_weights", "use --equal-weights")

    def _update(self, snapshot):
        """Takes a statistics-tick snapshot (core::RunSnapshot's fields) for runner and stats."""
        self.stats._update(snapshot)
        if self.runner is not None:
            self.runner._update(snapshot)

    def _validate_user_class_name_uniqueness(self):
        if len({user_class.__name__ for user_class in self.user_classes}) != len(self.user_classes):
            raise ValueError(
                "The following user classes have the same class name: {}".format(
                    ", ".join(map(methodcaller("fullname"), self.user_classes))
                )
            )

    def _validate_shape_class_instance(self):
        if self.shape_class is not None and not isinstance(self.shape_class, LoadTestShape):
            raise ValueError(
                "shape_class should be instance of LoadTestShape or subclass LoadTestShape, but got: %s"
                % self.shape_class
            )

    @property
    def user_classes_by_name(self):
        return {u.__name__: u for u in self.user_classes}
