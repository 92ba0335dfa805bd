"""The parts of Locust's ``locust.stats`` that locustfiles use, on Hornet's statistics.

Hornet keeps its statistics in C++. ``environment.stats`` (a RequestStats) offers ``total``
(a StatsEntry), ``num_requests`` and ``num_failures``, read from the snapshot Hornet sends
each statistics tick. Per-request entries, errors, printing and CSV writing are Hornet's own:
their Locust functions raise NotSupportedByHornet, and changing Locust's module settings
(``locust.stats.PERCENTILES_TO_REPORT = ...``) raises too, since Hornet would not see it.
"""

import hashlib
import sys
import types

from ._unsupported import NotSupportedByHornet, UnsupportedAttributeError, unsupported_class, unsupported_function
from ._errors import error_text

STATS_NAME_WIDTH = 80
STATS_TYPE_WIDTH = 8
STATS_AUTORESIZE = True
CONSOLE_STATS_INTERVAL_SEC = 2
HISTORY_STATS_INTERVAL_SEC = 5
CSV_STATS_INTERVAL_SEC = 1
CSV_STATS_FLUSH_INTERVAL_SEC = 10
CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW = 10
PERCENTILES_TO_REPORT = [0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0]

_SETTINGS = frozenset(name for name in list(globals()) if name.isupper())


class RequestStatsAdditionError(Exception):
    pass


def get_readable_percentiles(percentile_list):
    """Fractions (0.95) as Locust prints them ("95%")."""
    return [
        f"{int(p * 100) if (p * 100).is_integer() else round(100 * p, 6)}%" for p in percentile_list
    ]


def calculate_response_time_percentile(response_times, num_requests, percent):
    """The response time that ``percent`` (0-1) of the requests in a ``{ms: count}`` dict
    finished within (Locust's function)."""
    num_of_request = int(num_requests * percent)
    processed_count = 0
    for response_time in sorted(response_times.keys(), reverse=True):
        processed_count += response_times[response_time]
        if num_requests - processed_count <= num_of_request:
            return response_time
    return 0


class StatsEntry:
    """The aggregated ("Aggregated") statistics of the run, as of the last tick.

    Read-only: the fields of Locust's StatsEntry that Hornet's snapshot carries, plus the
    totals derived from them.
    """

    def __init__(self, stats=None, name="Aggregated", method=None, use_response_times_cache=False):
        self.stats = stats
        self.name = name
        self.method = method
        self._snapshot = {}

    def _update(self, snapshot):
        self._snapshot = snapshot

    def _get(self, key, default=0):
        return self._snapshot.get(key, default)

    @property
    def num_requests(self):
        return int(self._get("num_requests"))

    @property
    def num_failures(self):
        return int(self._get("num_failures"))

    @property
    def fail_ratio(self):
        return float(self._get("fail_ratio", 0.0))

    @property
    def avg_response_time(self):
        return float(self._get("avg_response_time", 0.0))

    @property
    def min_response_time(self):
        """Milliseconds; None before the first request, as in Locust."""
        return self._get("min_response_time") if self.num_requests else None

    @property
    def max_response_time(self):
        return self._get("max_response_time")

    @property
    def median_response_time(self):
        return self._get("median_response_time")

    @property
    def avg_content_length(self):
        return float(self._get("avg_content_length", 0.0))

    @property
    def total_response_time(self):
        return self.avg_response_time * self.num_requests

    @property
    def total_content_length(self):
        return self.avg_content_length * self.num_requests

    @property
    def current_rps(self):
        return float(self._get("current_rps", 0.0))

    @property
    def current_fail_per_sec(self):
        return float(self._get("current_fail_per_sec", 0.0))

    @property
    def total_rps(self):
        return float(self._get("total_rps", 0.0))

    @property
    def total_fail_per_sec(self):
        return self.total_rps * self.fail_ratio

    def get_response_time_percentile(self, percent):
        """Milliseconds within which ``percent`` (0-1) of the requests finished.

        Hornet's snapshot has Locust's reported percentiles (PERCENTILES_TO_REPORT); the
        nearest one to ``percent`` is returned (0 before the first request).
        """
        percentiles = self._get("percentiles", None) or {}
        if not percentiles:
            return 0
        nearest = min(percentiles, key=lambda p: abs(float(p) - percent))
        return percentiles[nearest]

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise UnsupportedAttributeError(f"locust.stats.StatsEntry.{name}")


class RequestStats:
    """``environment.stats``: the run's ``total``, ``num_requests`` and ``num_failures``."""

    def __init__(self, use_response_times_cache=True):
        self.total = StatsEntry(self, "Aggregated", None)

    def _update(self, snapshot):
        self.total._update(snapshot)

    @property
    def num_requests(self):
        return self.total.num_requests

    @property
    def num_failures(self):
        return self.total.num_failures

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise UnsupportedAttributeError(
            f"locust.stats.RequestStats.{name}", "Hornet's statistics offer only `total`"
        )


class StatsError:
    """A failure of one request name (Locust's class, for its helpers)."""

    def __init__(self, method, name, error, occurrences=0):
        self.method = method
        self.name = name
        self.error = error
        self.occurrences = occurrences

    @classmethod
    def parse_error(cls, error):
        return error_text(error)

    @classmethod
    def create_key(cls, method, name, error):
        key = f"{method}.{name}.{StatsError.parse_error(error)!r}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def occurred(self):
        self.occurrences += 1

    def to_name(self):
        error = self.error
        if isinstance(error, Exception):
            unwrapped_error = error.args[0] if error.args else None
            if isinstance(unwrapped_error, str) and "CatchResponseError" in repr(error):
                error = unwrapped_error
        return f"{self.method} {self.name}: {error!r}"


_HINT = "Hornet prints and writes its statistics itself"
print_stats = unsupported_function("locust.stats.print_stats", _HINT)
get_stats_summary = unsupported_function("locust.stats.get_stats_summary", _HINT)
print_percentile_stats = unsupported_function("locust.stats.print_percentile_stats", _HINT)
get_percentile_stats_summary = unsupported_function("locust.stats.get_percentile_stats_summary", _HINT)
print_error_report = unsupported_function("locust.stats.print_error_report", _HINT)
get_error_report_summary = unsupported_function("locust.stats.get_error_report_summary", _HINT)
stats_printer = unsupported_function("locust.stats.stats_printer", _HINT)
stats_history = unsupported_function("locust.stats.stats_history", _HINT)
setup_distributed_stats_event_listeners = unsupported_function(
    "locust.stats.setup_distributed_stats_event_listeners"
)
StatsCSV = unsupported_class("locust.stats.StatsCSV", "use --csv")
StatsCSVFileWriter = unsupported_class("locust.stats.StatsCSVFileWriter", "use --csv")


class _StatsModule(types.ModuleType):
    """Refuses changes to Locust's statistics settings, which Hornet's C++ does not read."""

    def __setattr__(self, name, value):
        if name in _SETTINGS:
            raise NotSupportedByHornet(f"setting locust.stats.{name}")
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _StatsModule
