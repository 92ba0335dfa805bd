"""Locust's logging setup, writing through Hornet's log (``_hornet.log``).

``setup_logging(loglevel)`` configures the root and ``locust`` loggers as Locust's does, with
one handler that hands each formatted record to Hornet, which writes it in its own format to
its own destination (the console or ``--logfile``).
"""

import logging

# Set when a listener or greenlet raised and nothing caught it (Locust's flag of the same name).
unhandled_greenlet_exception = False


class HornetLogHandler(logging.Handler):
    """Sends each record to ``_hornet.log(levelno, logger_name, message)``.

    The message is the record's text with its traceback when it has one (``logger.exception``).
    """

    def emit(self, record):
        try:
            import _hornet

            _hornet.log(record.levelno, record.name, self.format(record))
        except Exception:
            self.handleError(record)


_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def setup_logging(loglevel, logfile=None):
    """Routes Python logging to Hornet's log at ``loglevel`` (DEBUG, INFO... as Locust).

    ``logfile`` is accepted for Locust's signature; Hornet's log already writes there.
    """
    del logfile  # Hornet's log owns the destination.
    level = str(loglevel).upper()
    if level not in _LEVELS:
        raise ValueError(f"Invalid loglevel {loglevel!r}. Valid values are: {'/'.join(_LEVELS)}")
    handler = HornetLogHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))

    root = logging.getLogger()
    root.handlers = [handler]  # as Locust's dictConfig, which replaces the root's handlers
    root.setLevel(level)

    locust_logger = logging.getLogger("locust")
    locust_logger.handlers = [handler]
    locust_logger.setLevel(level)
    locust_logger.propagate = False

    stats_logger = logging.getLogger("locust.stats_logger")
    stats_logger.handlers = [handler]
    stats_logger.setLevel(logging.INFO)
    stats_logger.propagate = False
