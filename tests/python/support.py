"""Shared helpers of the package's tests: the fake _hornet, locustfiles in temporary folders."""

import os
import tempfile
import textwrap

import fake_hornet

fake_hornet.install()

import locust  # noqa: E402  (after install: Hornet's package, not the system's)
from locust import _hornet_runtime  # noqa: E402


def fresh_events():
    """Empties every hook of the global ``locust.events`` (listeners of earlier tests)."""
    locust.events.__init__()
    fake_hornet.reset()


def write_locustfile(directory, name, source):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(textwrap.dedent(source))
    return path


class Locustfiles:
    """A temporary folder of locustfiles (a context manager)."""

    def __enter__(self):
        self._dir = tempfile.TemporaryDirectory()
        return self

    def __exit__(self, *exc):
        self._dir.cleanup()

    def write(self, name, source):
        return write_locustfile(self._dir.name, name, source)

    def load(self, name, source, argv=()):
        """Writes a locustfile and loads it through ``_hornet_runtime.load``."""
        return _hornet_runtime.load([self.write(name, source)], list(argv))


def load_source(name, source):
    """Loads one locustfile's ``source``; returns load()'s result."""
    with Locustfiles() as files:
        return files.load(name, source)


def decls_by_name(result):
    return {decl["name"]: decl for decl in result["classes"]}


def tasks_summary(decl):
    """The decl's tasks as [(name, weight)]."""
    return [(t["name"], t["weight"]) for t in decl["tasks"]]
