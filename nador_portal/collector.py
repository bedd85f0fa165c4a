"""The cyclic garbage collector in a long-running process (a web worker).

A collection of the oldest generation walks every object the process holds. In a worker,
most of them are Django's, the apps' and the libraries' own, made at start and kept to the
end: walking them made each full collection cost 90 ms (300,000 practices, a sitemap page:
every twelfth request took 150 ms instead of 57). Frozen once loaded, they are never
walked again; only what requests make is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_loaded_objects() -> None:
    """Load the URLconf (every view: Django would import them at the first request), collect
    what loading left behind, then keep what is left out of every collection."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()


@contextmanager
def frozen_meanwhile() -> Iterator[None]:
    """What is loaded kept out of the collector for a while, as in a web worker (the bench
    times pages so); a process that was not frozen before is not after."""
    was_frozen = gc.get_freeze_count() > 0
    freeze_loaded_objects()
    try:
        yield
    finally:
        if not was_frozen:
            gc.unfreeze()


#: The thresholds as the process started, put back after each piece of work (two imports in
#: two threads may overlap: neither leaves the other's raised thresholds in place).
STARTING_THRESHOLDS = gc.get_threshold()


@contextmanager
def collected_less() -> Iterator[None]:
    """For work that makes millions of objects living to its end (an import's rows, the
    cells): the process's own objects frozen meanwhile, and the youngest generation
    collected ten times less often (~10 % of a large import's CPU). After it, a process
    that was frozen (a web worker) is frozen again, without the work's leftovers."""
    was_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    gc.set_threshold(STARTING_THRESHOLDS[0] * 10, *STARTING_THRESHOLDS[1:])
    try:
        yield
    finally:
        gc.set_threshold(*STARTING_THRESHOLDS)
        gc.unfreeze()
        if was_frozen:
            freeze_loaded_objects()
