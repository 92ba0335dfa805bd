"""gevent.timeout: Timeout and with_timeout (see gevent)."""

from . import Timeout, with_timeout

__all__ = ["Timeout", "with_timeout"]
