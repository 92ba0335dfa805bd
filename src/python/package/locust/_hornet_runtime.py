"""The entry points Hornet's C++ side calls (src/python/README.md, "locust._hornet_runtime").

Control thread: ``load`` (once), ``configure`` (once), ``fire``, ``update``, ``exit_code``,
``shape_tick``; beyond the README's table, ``unhandled_exception`` and ``user_error``. Worker thread: ``create_user``, ``create_task_set``. ``describe`` turns user
classes into the contract's class decls: user decls first, then every TaskSet reachable from
their tasks, each TaskSet once.
"""

import argparse
import importlib.util
import inspect
import logging
import os
import sys

import locust

from . import log
from ._unsupported import NotSupportedByHornet
from .argument_parser import LocustArgumentParser, convert
from .env import Environment
from .log import setup_logging
from .shape import LoadTestShape
from .user.sequential_taskset import SequentialTaskSet
from .user.task import TaskSet
from .user.users import HttpUser, User
from .user.wait_time import WaitTime

logger = logging.getLogger(__name__)

# What load() found, for configure(); the Environment configure() built.
_user_classes = []
_shape = None
_parser = None
_locustfiles = []
environment = None

# Events Locust fires with environment=; quitting's listeners run last-added first.
_WITH_ENVIRONMENT = frozenset(("test_start", "test_stopping", "test_stop", "quitting", "cpu_warning"))


# ------------------------------------------------------------------------------------------
# Loading


def is_user_class(item):
    """A runnable User class: a User subclass that is not abstract (as Locust's)."""
    return bool(inspect.isclass(item) and issubclass(item, User) and item.abstract is False)


def is_shape_class(item):
    """A LoadTestShape subclass defined outside locust.shape (as Locust's)."""
    return bool(
        inspect.isclass(item)
        and issubclass(item, LoadTestShape)
        and item.__dict__["__module__"] != "locust.shape"
    )


def _put_on_path(directory):
    """Puts ``directory`` first on sys.path after our package's directory (index 0)."""
    if directory in sys.path:
        sys.path.remove(directory)
    sys.path.insert(1 if sys.path else 0, directory)


def import_locustfile(path):
    """Imports the locustfile at ``path`` as Locust does: module name = file stem, its folder
    (and the working directory) importable. Errors in the file propagate."""
    path = os.path.abspath(path)
    if os.path.basename(path) == "locust.py":
        raise ValueError("The locustfile must not be named `locust.py`. Please rename the file and try again.")
    _put_on_path(os.getcwd())
    _put_on_path(os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise ImportError(f"{path} is not a Python file", path=path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def load(paths, argv=None):
    """Imports the locustfiles and fires ``init_command_line_parser``.

    Returns ``{"classes": [decl...], "shape": LoadTestShape instance or None,
    "arguments": [argument...]}`` (see the contract). Two different user classes of one name,
    or several shape classes, are errors (ValueError).
    """
    global _user_classes, _shape, _parser, _locustfiles
    user_classes = {}
    shapes = []
    for path in paths:
        module = import_locustfile(path)
        for name, value in vars(module).items():
            if is_user_class(value):
                previous = user_classes.get(name)
                if previous is not None and previous is not value:
                    raise ValueError(
                        f"Duplicate user class names: {name} is defined in both "
                        f"{inspect.getfile(previous)} and {inspect.getfile(value)}"
                    )
                user_classes[name] = value
        found = [value for value in vars(module).values() if is_shape_class(value)]
        if found and all(found[0] is not s for s in shapes):
            shapes.append(found[0])
    if len(shapes) > 1:
        raise ValueError(
            "Several LoadTestShape classes: " + ", ".join(s.__name__ for s in shapes)
            + " (Hornet runs one)"
        )

    _parser = LocustArgumentParser()
    locust.events.init_command_line_parser.fire(parser=_parser)
    _user_classes = list(user_classes.values())
    _shape = shapes[0]() if shapes else None
    _locustfiles = list(paths)
    return {
        "classes": describe(_user_classes),
        "shape": _shape,
        "arguments": _parser.contract_arguments(),
    }


# ------------------------------------------------------------------------------------------
# Class descriptions


def _client_kind(cls):
    fasthttp = sys.modules.get("locust.contrib.fasthttp")
    fast_user = getattr(fasthttp, "FastHttpUser", None)
    if fast_user is not None and issubclass(cls, fast_user):
        return "fast"
    if issubclass(cls, HttpUser):
        return "http"
    return None


def _wait_of(cls):
    """The contract's wait tuple of a class, or None when it has none of its own (a TaskSet
    without wait_time waits as its user)."""
    wait = inspect.getattr_static(cls, "wait_time", None)
    if wait is None:
        return None
    if isinstance(wait, WaitTime):
        return wait.describe()
    if wait is TaskSet.__dict__["wait_time"]:
        return None
    return ("custom",)


def _grouped(tasks, sequential):
    """``tasks`` (each repeated weight times, as Locust stores them) as [task, weight] pairs:
    runs of one task in a row for a sequential TaskSet (order matters), else each task once
    in order of first appearance."""
    groups = []
    if sequential:
        for item in tasks:
            if groups and groups[-1][0] is item:
                groups[-1][1] += 1
            else:
                groups.append([item, 1])
        return groups
    index_of = {}
    for item in tasks:
        key = id(item)
        if key in index_of:
            groups[index_of[key]][1] += 1
        else:
            index_of[key] = len(groups)
            groups.append([item, 1])
    return groups


def _tags(item):
    return sorted(getattr(item, "locust_tag_set", None) or ())


def describe(user_classes):
    """The contract's class decls for ``user_classes`` and the TaskSets they reach."""
    decls = []
    index_of = {}  # id(class) -> its decl's index
    queue = list(user_classes)
    for cls in queue:
        index_of[id(cls)] = len(decls)
        decls.append(None)
    position = 0
    while position < len(queue):
        cls = queue[position]
        is_user = issubclass(cls, User)
        sequential = not is_user and issubclass(cls, SequentialTaskSet)
        tasks = []
        for item, weight in _grouped(cls.tasks, sequential):
            if inspect.isclass(item) and issubclass(item, TaskSet):
                if id(item) not in index_of:
                    index_of[id(item)] = len(decls)
                    decls.append(None)
                    queue.append(item)
                tasks.append({"name": item.__name__, "weight": weight, "tags": _tags(item),
                              "task_set": index_of[id(item)]})
            elif callable(item):
                name = getattr(item, "__name__", None) or type(item).__name__
                tasks.append({"name": name, "weight": weight, "tags": _tags(item), "func": item})
            else:
                raise TypeError(
                    f"{cls.__name__}.tasks holds {item!r}, which is neither a function nor a "
                    "TaskSet class"
                )
        decls[position] = {
            "name": cls.__name__,
            "cls": cls,
            "kind": "user" if is_user else ("sequential" if sequential else "taskset"),
            "client": _client_kind(cls) if is_user else None,
            "weight": int(cls.weight) if is_user else 1,
            "fixed_count": int(cls.fixed_count) if is_user else 0,
            "host": cls.host if is_user else None,
            "tags": _tags(cls),
            "wait": _wait_of(cls),
            "tasks": tasks,
        }
        position += 1
    return decls


# ------------------------------------------------------------------------------------------
# The run


class ParsedOptions(argparse.Namespace):
    """``environment.parsed_options``: Locust's option names; an unknown one is an error
    naming it (Hornet may not have that Locust option)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"parsed_options has no option {name!r} (not a Hornet option)")


def parsed_options(options, arguments=()):
    """``options`` (the contract's dict) as a ParsedOptions, custom ``arguments`` converted to
    their declared types (their default when not given)."""
    namespace = ParsedOptions(**options)
    for argument in arguments:
        dest = argument["dest"]
        value = options.get(dest)
        if value is None:
            value = argument["value_default"]
            if not isinstance(value, str):
                setattr(namespace, dest, value)
                continue
        setattr(namespace, dest, convert(argument, value))
    return namespace


def configure(options):
    """Builds ``environment`` from the command line's ``options``, sets up logging (unless
    ``skip_log_setup``) and fires ``init``."""
    global environment
    namespace = parsed_options(options, _parser.arguments if _parser else ())
    if not options.get("skip_log_setup"):
        setup_logging(options.get("loglevel") or "INFO")
    locustfile = os.path.basename(_locustfiles[0]) if len(_locustfiles) == 1 else None
    env = Environment(
        user_classes=list(_user_classes),
        shape_class=_shape,
        events=locust.events,
        host=options.get("host"),
        reset_stats=bool(options.get("reset_stats")),
        stop_timeout=options.get("stop_timeout"),
        parsed_options=namespace,
        locustfile=locustfile,
        available_user_classes={c.__name__: c for c in _user_classes},
    )
    if options.get("master"):
        env.create_master_runner()
    elif options.get("worker"):
        env.create_worker_runner()
    else:
        env.create_local_runner()
    if env.host:
        for user_class in env.user_classes:
            user_class.host = env.host
    environment = env
    env.events.init.fire(environment=env, runner=env.runner, web_ui=None)
    if options.get("master") or options.get("worker"):
        for name in ("report_to_master", "worker_report"):
            if getattr(env.events, name)._handlers:
                raise NotSupportedByHornet(
                    f"locust.events.{name} in a distributed run",
                    "Hornet's workers send the master statistics only",
                )


def update_options(values):
    """The web UI's start form set the scenario's own options (dest -> text): converted to their
    declared types into ``environment.parsed_options``."""
    if environment is None or _parser is None:
        return
    for argument in _parser.arguments:
        dest = argument["dest"]
        if dest in values:
            setattr(environment.parsed_options, dest, convert(argument, values[dest]))


def create_user(cls, host=None):
    """A new instance of User class ``cls`` in the environment. ``host``: the host the engine
    runs it against (--host, the web form's, or the class's), set before ``__init__`` builds
    the client."""
    user = cls.__new__(cls)
    if host:
        user.host = host
    user.__init__(environment)
    return user


def create_task_set(cls, parent):
    """A new instance of TaskSet class ``cls`` under ``parent`` (a User or TaskSet)."""
    return cls(parent)


def fire(event_name, kwargs=None):
    """Fires ``locust.events.<event_name>`` with Locust's arguments for it: ``environment=``
    for the test and quitting events, then ``kwargs``. A listener's error is logged."""
    kwargs = dict(kwargs or {})
    if event_name in _WITH_ENVIRONMENT:
        kwargs.setdefault("environment", environment)
    if event_name == "test_start" and environment is not None and environment.shape_class:
        environment.shape_class.reset_time()
    hook = getattr(locust.events, event_name)
    try:
        hook.fire(reverse=event_name == "quitting", **kwargs)
    except Exception:
        logger.exception("Uncaught exception in %s event handler", event_name)


def user_error(user_instance, exception):
    """Fires ``user_error`` for an exception that left a task (not part of the README's
    contract yet: for the C++ side, if it wants Locust's user_error listeners to run)."""
    locust.events.user_error.fire(
        user_instance=user_instance, exception=exception, tb=exception.__traceback__
    )


def unhandled_exception():
    """Whether a listener raised and nothing caught it (Locust then exits with code 2 when
    neither process_exit_code nor failures decided the exit code)."""
    return bool(log.unhandled_greenlet_exception)


def update(snapshot):
    """Takes the statistics tick's snapshot (core::RunSnapshot's fields as a dict)."""
    if environment is not None:
        environment._update(snapshot)


def exit_code():
    """``environment.process_exit_code`` (an int) or None."""
    if environment is None or environment.process_exit_code is None:
        return None
    return int(environment.process_exit_code)


def shape_tick(shape):
    """``shape.tick()`` as the contract's ``None``, ``(users, spawn_rate)`` or
    ``(users, spawn_rate, [class names])``."""
    stage = shape.tick()
    if stage is None:
        return None
    if len(stage) == 2:
        users, spawn_rate = stage
        return (int(users), float(spawn_rate))
    if len(stage) == 3:
        users, spawn_rate, classes = stage
        if classes is None:
            return (int(users), float(spawn_rate))
        names = [c.__name__ if inspect.isclass(c) else str(c) for c in classes]
        return (int(users), float(spawn_rate), names)
    raise ValueError(
        f"{type(shape).__name__}.tick() returned {stage!r}: expected None, "
        "(user_count, spawn_rate) or (user_count, spawn_rate, user_classes)"
    )
