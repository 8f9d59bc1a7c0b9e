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
    """Is a second process worth it? POSIX ``fork``, 2+ CPUs for this process,
    and one of them idle now (on a busy machine two processes only fight for one).

    "Now" is the kernel's count of runnable tasks, not the one-minute load
    average, which still counts the searches just run."""
    if not hasattr(os, "fork"):
        return False
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    if n < 2:
        return False
    runnable = _runnable()
    if runnable is not None:
        return runnable < n  # this process is one of them
    try:  # pragma: no cover - not Linux
        return os.getloadavg()[0] < n - 0.5
    except (AttributeError, OSError):  # pragma: no cover - no load average
        return True


def _runnable() -> int | None:
    """Tasks runnable at this instant, this one included (Linux), else None."""
    try:
        with open("/proc/loadavg", "rb") as fh:
            return int(fh.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return None


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


#: :func:`share` takes at most this many items: their 2-byte tokens are written to
#: a pipe before anyone reads it, and every POSIX pipe holds 4 KB.
MAX_SHARED = 2048


def share(n: int, work: Callable[[int], object],
          trim: Callable[[dict[int, object]], object] | None = None) -> list[object]:
    """``[work(0), ..., work(n - 1)]``, computed by this process and a forked
    child together: both take the next index from one queue (a pipe of 2-byte
    tokens; the kernel hands each token to one reader), so neither idles while
    the other has the slow items. An item the child took but did not send back
    (it failed) is computed here. ``trim``, if given, may shrink the child's
    results (a dict of index to result) in place before they are sent back.

    Example:
        >>> share(4, lambda i: i * i)
        [0, 1, 4, 9]
    """
    if n <= 0:
        return []
    if n > MAX_SHARED:
        raise ValueError(f"share: at most {MAX_SHARED} items")
    try:
        r, w = os.pipe()
    except OSError:
        return [work(i) for i in range(n)]
    tokens = b"".join(i.to_bytes(2, "little") for i in range(n))
    try:
        os.set_blocking(w, False)  # never wait here: nobody reads yet
        written = os.write(w, tokens)
        os.close(w)
    except (AttributeError, OSError):  # pragma: no cover - a pipe too small for the tokens, no set_blocking
        written = -1
        try:
            os.close(w)
        except OSError:
            pass
    if written != len(tokens):  # pragma: no cover
        os.close(r)
        return [work(i) for i in range(n)]

    def drain() -> dict[int, object]:
        done: dict[int, object] = {}
        while True:
            tok = os.read(r, 2)
            if len(tok) < 2:
                return done
            i = int.from_bytes(tok, "little")
            done[i] = work(i)

    def drain_trimmed() -> dict[int, object]:
        done = drain()
        trim(done)  # type: ignore[misc]
        return done

    wait = in_child(drain if trim is None else drain_trimmed)
    try:
        mine = drain()
    finally:
        got = wait()
        os.close(r)
    if got is not FAILED:
        mine.update(got)  # type: ignore[arg-type]
    return [mine[i] if i in mine else work(i) for i in range(n)]
