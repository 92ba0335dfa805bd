"""The failure text of an exception, as Locust's statistics show it.

Hornet records failures by text (``_hornet.record``, a catch_response ``failure(text)``); the
text must be the one Locust would show so that failures group and read the same.
"""


def error_text(error):
    """Locust 2.12's ``StatsError.parse_error``: ``repr(error)``, with the address of an object
    in it (``<... object at 0x7f3a...>``) replaced by ``0x....`` so that failures group.

    ``error`` may be an exception, a string (its repr, quotes included, as Locust) or None.
    """
    text = repr(error)
    target = "object at 0x"
    index = text.find(target)
    if index < 0:
        return text
    start = index + len(target) - 2
    end = text.find(">", start)
    if end < 0:
        return text
    return text.replace(text[start:end], "0x....")
