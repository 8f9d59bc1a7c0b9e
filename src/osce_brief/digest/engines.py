"""Where ``brief digest`` runs the per-document function: here, in local
processes, or on a Dask distributed cluster.

Every engine takes the work items (an iterator, read as work is handed out) and
yields ``(position, record, text)`` in input order, whatever order the work
finishes in. Work goes out in small batches, and at most a few batches per
worker are out at once (finished batches waiting for an earlier one count), so
memory stays bounded on any number of documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .core import digest_batch

#: Items per batch sent to a worker process / per Dask task.
BATCH = 8
DASK_BATCH = 32
#: Batches in flight per worker.
WINDOW_PER_WORKER = 4


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask), at least 1."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _batches(items: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_inline(items: Iterable[tuple], opts: dict) -> Iterator[tuple]:
    """In this process, one item after another."""
    for item in items:
        yield from digest_batch([item], opts)


def _ignore_sigint() -> None:  # pragma: no cover - runs in the worker processes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def run_pool(items: Iterable[tuple], opts: dict, jobs: int, batch: int = BATCH) -> Iterator[tuple]:
    """In ``jobs`` local worker processes (:class:`concurrent.futures.ProcessPoolExecutor`).

    Workers are forked after the analysis modules are imported here, so they
    start warm. Ctrl-C stops handing out work and cancels what is queued.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from .core import warm_up

    if jobs <= 1:
        yield from run_inline(items, opts)
        return
    warm_up()
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_ignore_sigint)
    pending: deque = deque()
    window = jobs * WINDOW_PER_WORKER
    try:
        for chunk in _batches(items, batch):
            pending.append(pool.submit(digest_batch, chunk, opts))
            while len(pending) >= window or (pending and pending[0].done()):
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


def connect(scheduler: str, timeout: float = 10.0):
    """A Dask distributed client for ``scheduler`` (``tcp://HOST:8786``).

    Raises:
        UsageError: Dask is not installed, or the scheduler cannot be reached.
    """
    from ..errors import UsageError

    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--engine dask needs Dask distributed, which is not installed",
                         "install it with: pip install 'osce_brief[cluster]'") from None
    hint = "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or fix --scheduler"
    reason = _tcp_refused(scheduler, timeout)
    if reason:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({reason})", hint)
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({str(e).splitlines()[0][:200]})",
                         hint) from None
    except ValueError as e:
        raise UsageError(f"bad --scheduler address {scheduler!r} ({e})", "give tcp://HOST:8786") from None


def _tcp_refused(address: str, timeout: float) -> str | None:
    """Why a ``tcp://HOST:PORT`` address cannot be connected to (None: it can,
    or it is not a plain TCP address): a quick check, so that a scheduler that
    is not running is said at once, not after the client's retries."""
    import re
    import socket

    m = re.fullmatch(r"(?:tcp://)?\[?([^\]/]+?)\]?:(\d+)/?", address.strip())
    if not m:
        return None
    try:
        socket.create_connection((m.group(1), int(m.group(2))), timeout=timeout).close()
    except OSError as e:
        return (e.strerror or str(e) or type(e).__name__).lower()
    return None


def run_dask(items: Iterable[tuple], opts: dict, client, batch: int = DASK_BATCH) -> Iterator[tuple]:
    """On a Dask distributed cluster, through ``client`` (see :func:`connect`).

    Batches of items (their paths or texts, nothing else) go out as tasks of
    :func:`~osce_brief.digest.core.digest_batch`; results stream back as they
    complete and are put back in input order here. The workers need
    ``osce_brief`` installed, and for files the same paths (a shared file system).
    """
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = workers * WINDOW_PER_WORKER
    chunks = _batches(items, batch)
    number: dict = {}  # future key -> batch number
    done: dict[int, list] = {}
    submitted = yielded = 0
    running = as_completed(loop=client.loop)
    futures: set = set()

    def submit_more() -> None:
        nonlocal submitted
        while submitted - yielded < window:
            chunk = next(chunks, None)
            if chunk is None:
                return
            fut = client.submit(digest_batch, chunk, opts, pure=False)
            number[fut.key] = submitted
            futures.add(fut)
            running.add(fut)
            submitted += 1

    try:
        submit_more()
        while submitted > yielded:
            fut = next(running)
            done[number.pop(fut.key)] = fut.result()
            futures.discard(fut)
            fut.release()
            while yielded in done:
                yield from done.pop(yielded)
                yielded += 1
            submit_more()
    finally:
        if submitted > yielded:
            client.cancel([f for f in futures if not f.done()])
