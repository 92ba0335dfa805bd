"""How Hornet's `locust` package refuses what it does not implement: loudly, naming the thing.

A Locust name Hornet does not support is either a stub that raises NotSupportedByHornet when
called (so that importing it still works), or missing from its module, whose ``__getattr__``
then raises UnsupportedNameError (an ImportError) naming it. Attributes of Hornet's proxies
(runner, stats) raise UnsupportedAttributeError.
"""


class NotSupportedByHornet(NotImplementedError):
    """A Locust feature that Hornet's engine does not provide."""

    def __init__(self, qualname, hint=""):
        message = f"{qualname} is not supported by Hornet"
        if hint:
            message += f" ({hint})"
        super().__init__(message)
        self.qualname = qualname


class UnsupportedAttributeError(AttributeError):
    """An attribute of a Locust object that Hornet's proxy of it does not provide."""

    def __init__(self, qualname, hint=""):
        message = f"{qualname} is not supported by Hornet"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class UnsupportedNameError(ImportError):
    """A Locust module-level name Hornet leaves out (an ImportError, so that
    ``from locust import name`` shows this message rather than Python's generic one)."""

    def __init__(self, qualname, hint=""):
        message = f"{qualname} is not supported by Hornet"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


def unsupported_function(qualname, hint=""):
    """A function that raises NotSupportedByHornet naming ``qualname`` whenever it is called."""

    def refuse(*args, **kwargs):
        raise NotSupportedByHornet(qualname, hint)

    refuse.__name__ = qualname.rsplit(".", 1)[-1]
    refuse.__qualname__ = refuse.__name__
    refuse.__doc__ = "Not supported by Hornet: calling it raises NotSupportedByHornet."
    return refuse


def unsupported_class(qualname, hint="", bases=(object,)):
    """A class (usable in isinstance checks) whose construction raises NotSupportedByHornet."""

    def __init__(self, *args, **kwargs):
        raise NotSupportedByHornet(qualname, hint)

    name = qualname.rsplit(".", 1)[-1]
    return type(name, bases, {"__init__": __init__, "__doc__": "Not supported by Hornet."})


def module_getattr(module_name, known):
    """A module-level ``__getattr__`` for ``module_name``.

    Names in ``known`` (a dict: Locust name -> hint) raise UnsupportedNameError; any other
    name gets Python's usual AttributeError.
    """

    def __getattr__(name):
        if name in known:
            raise UnsupportedNameError(f"{module_name}.{name}", known[name])
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__
