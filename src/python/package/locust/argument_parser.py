"""The parser handed to ``init_command_line_parser`` listeners: it records custom options.

Hornet parses its command line in C++; a locustfile's ``parser.add_argument(...)`` calls are
recorded as the contract's ``argument`` dicts (``_hornet_runtime.load`` returns them), and
their values come back, as strings, in ``configure``'s options, converted by ``convert``.
Besides the contract's keys, an argument has ``"action"`` (store, store_true, store_false):
a store_false flag given on the command line means False.
Supported: long and short option names, ``type`` str/int/float, ``action``
store/store_true/store_false, ``default``, ``help``, ``choices``, ``dest``, ``metavar``,
``env_var``, ``include_in_web_ui``, ``is_secret``; anything else raises NotSupportedByHornet.
"""

import argparse

from ._unsupported import NotSupportedByHornet, UnsupportedAttributeError

SUPPRESS = argparse.SUPPRESS

_TYPES = {None: "str", str: "str", int: "int", float: "float"}
_CONVERTERS = {"str": str, "int": int, "float": float}
_TRUE = frozenset(("true", "1", "yes", "on"))
_FALSE = frozenset(("false", "0", "no", "off", ""))


def _default_dest(names):
    """argparse's dest: the first long name, else the first short one, without dashes."""
    long_names = [n for n in names if n.startswith("--")]
    name = long_names[0] if long_names else names[0]
    return name.lstrip("-").replace("-", "_")


def _as_text(value, kind):
    if value is None:
        return None
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def convert(argument, value):
    """``value`` (the option's text, or already a value) as the argument's declared type.

    None stays None. A bool accepts true/false/1/0/yes/no/on/off.
    """
    if value is None:
        return None
    kind = argument["type"]
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{argument['names'][0]}: expected true or false, not {value!r}")
    try:
        return _CONVERTERS[kind](value)
    except ValueError:
        raise ValueError(f"{argument['names'][0]}: invalid {kind} value: {value!r}") from None


class Action:
    """What ``add_argument`` returns (argparse returns an Action): the recorded option."""

    def __init__(self, argument):
        self.option_strings = list(argument["names"])
        self.dest = argument["dest"]
        self.default = argument["value_default"]
        self.help = argument["help"]
        self.choices = argument["choices"]
        self.include_in_web_ui = argument["include_in_web_ui"]


class LocustArgumentParser:
    """Records the options a locustfile adds (see the module docstring)."""

    def __init__(self):
        self.arguments = []  # the contract's argument dicts, plus "value_default"

    def add_argument(self, *names, **kwargs):
        """Adds an option like argparse's ``add_argument``; returns an Action."""
        if not names or not all(isinstance(n, str) and n.startswith("-") for n in names):
            raise NotSupportedByHornet(
                f"locust.argument_parser: positional argument {names!r}", "options only (--name)"
            )
        kwargs = dict(kwargs)
        action = kwargs.pop("action", "store")
        if action not in ("store", "store_true", "store_false"):
            raise NotSupportedByHornet(f"add_argument(action={action!r}) for {names[0]}")
        if action == "store":
            type_ = kwargs.pop("type", None)
            if type_ not in _TYPES:
                raise NotSupportedByHornet(
                    f"add_argument(type={getattr(type_, '__name__', type_)!r}) for {names[0]}",
                    "use str, int or float",
                )
            kind = _TYPES[type_]
            default = kwargs.pop("default", None)
        else:
            if "type" in kwargs:
                raise TypeError(f"{names[0]}: action {action!r} takes no type")
            kind = "bool"
            default = kwargs.pop("default", action == "store_false")
        choices = kwargs.pop("choices", None)
        argument = {
            "names": list(names),
            "dest": kwargs.pop("dest", None) or _default_dest(names),
            "default": _as_text(default, kind),
            "help": kwargs.pop("help", None) or "",
            "type": kind,
            "choices": None if choices is None else [_as_text(c, kind) for c in choices],
            "env_var": kwargs.pop("env_var", None),
            "include_in_web_ui": bool(kwargs.pop("include_in_web_ui", True)),
            "is_secret": bool(kwargs.pop("is_secret", False)),
            "action": action,
            "value_default": default,
        }
        kwargs.pop("metavar", None)
        if kwargs:
            raise NotSupportedByHornet(
                f"add_argument({', '.join(f'{k}=' for k in sorted(kwargs))}) for {names[0]}"
            )
        self.arguments.append(argument)
        return Action(argument)

    def add_argument_group(self, title=None, description=None, **kwargs):
        """A group: its ``add_argument`` adds to this parser (groups only order ``--help``)."""
        return _ArgumentGroup(self, title)

    def contract_arguments(self):
        """The recorded options as the contract's ``argument`` dicts."""
        return [{k: v for k, v in a.items() if k != "value_default"} for a in self.arguments]

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise UnsupportedAttributeError(f"locust.argument_parser.LocustArgumentParser.{name}")


class _ArgumentGroup:
    def __init__(self, parser, title):
        self._parser = parser
        self.title = title

    def add_argument(self, *names, **kwargs):
        return self._parser.add_argument(*names, **kwargs)

    def add_argument_group(self, title=None, description=None, **kwargs):
        return _ArgumentGroup(self._parser, title)
