"""A second process for big jobs: fork, compute, send the result back pickled.

Used where a job splits into two independent halves (a book's sections for
``hedges``, a big file's halves or a long list of files for ``search``). The
parent does its half while the child does the other; if forking is not
possible or the child fails, the caller does the child's half itself, so the
result never depends on whether a second process ran.
"""

from __future__ import annotations

import os
from collections.abc import Callable

#: The child ran but failed, or no child could be started: do its work here.
FAILED = object()


def second_cpu() -> bool:
    """Is a second process worth it? POSIX ``fork``, 2+ CPUs, and a load average
    that leaves one idle (on a busy machine two processes only fight for one)."""
    if not hasattr(os, "fork"):
        return False
    n = os.cpu_count() or 1
    if n < 2:
        return False
    try:
        return os.getloadavg()[0] < n - 0.5
    except (AttributeError, OSError):  # pragma: no cover - no load average
        return True


def in_child(work: Callable[[], object]) -> Callable[[], object]:
    """Start ``work()`` in a forked child; return a function that waits for it.

    The waiting function gives the child's (pickled) return value, or
    :data:`FAILED` when the child failed or could not be started.

    Example:
        >>> wait = in_child(lambda: sum(range(10)))
        >>> wait()
        45
    """
    import pickle

    try:
        r, w = os.pipe()
        pid = os.fork()
    except (AttributeError, OSError):
        return lambda: FAILED
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(r)
            view = memoryview(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
            while view:
                view = view[os.write(w, view) :]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(w)

    def wait() -> object:
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return FAILED
        return pickle.loads(data)  # noqa: S301 - our own child's data

    return wait
