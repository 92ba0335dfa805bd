"""gevent.monkey: nothing to patch in Hornet.

Hornet's users already cooperate: requests go through Hornet's engine and ``time.sleep``
suspends only the calling user. These functions are accepted so that locustfiles that call
them run unchanged; they patch nothing (other blocking libraries still block the process, as
documented).
"""


def _nothing(*args, **kwargs):
    return None


patch_all = patch_socket = patch_ssl = patch_time = patch_thread = patch_select = _nothing
patch_dns = patch_os = patch_subprocess = patch_sys = patch_signal = patch_queue = _nothing


def is_module_patched(name):
    return False


def is_object_patched(module_name, name):
    return False
