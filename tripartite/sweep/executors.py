"""Where chunks run: in this process, on local worker processes, or on a Dask cluster.

An executor takes an iterator of ``(index, points)`` tasks and a
:class:`~tripartite.sweep.chunks.Job`, and yields the finished
:class:`~tripartite.sweep.chunks.ChunkOutput` objects as they complete (in
any order).  At most a few chunks per worker are in flight, so a large
sweep never holds all its points in memory.  :func:`execute` picks the
executor and shows a progress bar.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import sys
from collections.abc import Iterator
from typing import Any

from ..errors import TripartiteError
from .chunks import ChunkOutput, Job, run_chunk

__all__ = ["Tasks", "check_scheduler", "execute"]

#: ``(chunk index, lever name -> values)`` pairs.
Tasks = Iterator[tuple[int, dict]]


def check_scheduler(scheduler: Any) -> None:
    """Check that Dask's distributed scheduler can be used."""
    if scheduler is None:
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise TripartiteError("--scheduler needs dask.distributed: pip install 'tripartite[dask]'") from None


def execute(
    tasks: Tasks, job: Job, workers: int, scheduler: Any, total: int, initial: int, progress: bool
) -> Iterator[ChunkOutput]:
    """Run the tasks on the executor the options ask for, with a progress bar on standard error."""
    from tqdm import tqdm

    if scheduler is not None:
        outputs = _dask(tasks, job, scheduler, workers)
    elif workers > 1:
        outputs = _local_pool(tasks, job, workers)
    else:
        outputs = (run_chunk(job, index, points) for index, points in tasks)
    bar = tqdm(
        total=total,
        initial=initial,
        unit="pt",
        unit_scale=True,
        disable=not progress,
        file=sys.stderr,
        desc="sweep",
        dynamic_ncols=True,
    )
    try:
        for res in outputs:
            bar.update(res.n)
            yield res
    finally:
        bar.close()


def _pool_context():
    methods = multiprocessing.get_all_start_methods()
    # fork shares the already-built model with the workers; elsewhere they rebuild it once
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _local_pool(tasks: Tasks, job: Job, workers: int) -> Iterator[ChunkOutput]:
    limit = 2 * workers + 1
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        running: set[cf.Future] = set()
        try:
            for index, points in tasks:
                running.add(pool.submit(run_chunk, job, index, points))
                if len(running) >= limit:
                    done, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                    for fut in done:
                        yield fut.result()
            for fut in cf.as_completed(running):
                yield fut.result()
        except BaseException:
            for fut in running:
                fut.cancel()
            raise


def _dask(tasks: Tasks, job: Job, scheduler: Any, workers: int) -> Iterator[ChunkOutput]:
    check_scheduler(scheduler)
    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        limit = 2 * n_workers + 2
        pending = as_completed(loop=client.loop)
        in_flight = 0
        for index, points in tasks:
            pending.add(client.submit(run_chunk, job, index, points, pure=False))
            in_flight += 1
            if in_flight >= limit:
                fut = next(pending)
                in_flight -= 1
                yield fut.result()
                fut.release()
        for fut in pending:
            yield fut.result()
            fut.release()
    finally:
        if own:
            client.close()
