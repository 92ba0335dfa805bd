"""Locust's run_single_user, which Hornet replaces with a one-user run of its own."""

from ._unsupported import NotSupportedByHornet


def run_single_user(user_class, include_length=False, include_time=False, include_context=False,
                    include_payload=False, loglevel=None):
    """Not available in Hornet: run ``hornet -f <locustfile.py> -u 1 --headless`` instead.

    (Locustfiles call it under ``if __name__ == "__main__":``, which is never true when
    Hornet imports them.)
    """
    raise NotSupportedByHornet(
        "locust.run_single_user",
        "to run one user, run `hornet -f <locustfile.py> -u 1 --headless`",
    )
