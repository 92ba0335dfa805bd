"""Locust 2.12's exceptions, with the same names and hierarchy.

StopUser, RescheduleTask, RescheduleTaskImmediately and InterruptTaskSet are the engine's
control flow (see src/python/README.md): raised from a task, on_start or on_stop they do what
they do in Locust. The others exist so that locustfiles can import and raise or catch them.
"""


class LocustError(Exception):
    pass


class ResponseError(Exception):
    pass


class CatchResponseError(Exception):
    pass


class MissingWaitTimeError(LocustError):
    pass


class InterruptTaskSet(Exception):
    """Raised in a TaskSet's task: hands control back to the parent TaskSet (or User).

    With ``reschedule`` True the parent runs its next task at once; else it waits first.
    """

    def __init__(self, reschedule=True):
        super().__init__(reschedule)
        self.reschedule = reschedule


class StopUser(Exception):
    """Raised in a task: the user runs its on_stop methods and stops."""


class RescheduleTask(Exception):
    """Raised in a task: like a return (the user waits, then picks the next task)."""


class RescheduleTaskImmediately(Exception):
    """Raised in a task: the user picks its next task without waiting first."""


class RPCError(Exception):
    """Locust's distributed transport error (Hornet's transport is C++; never raised here)."""


class RPCSendError(Exception):
    pass


class RPCReceiveError(Exception):
    pass


class AuthCredentialsError(ValueError):
    pass


class RunnerAlreadyExistsError(Exception):
    pass


# Locust 0.x's name for StopUser.
StopLocust = StopUser
