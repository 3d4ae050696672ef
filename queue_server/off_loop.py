"""Work that would stop the event loop, moved to gevent's pool of native threads.

Under gevent (``queue-server run``) a call that burns CPU or blocks in C (rendering a
ticket with Pillow, synthesising speech with espeak-ng, writing to a USB printer that
stopped reading) stops every connection of the process for its duration. ``run``
hands such a call to the hub's thread pool and lets the loop serve meanwhile.
Anywhere else (threading mode: tests, one-off commands) it runs inline. No Flask.
"""


def _patched():
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("thread")


def run(function, *args):
    """``function(*args)``, off the event loop when there is one."""
    if not _patched():
        return function(*args)
    import gevent

    return gevent.get_hub().threadpool.apply(function, args)
