"""How crisisguide works with the cyclic garbage collector while it builds data."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_FREEZE_AFTER_BUILD = False


def freeze_built_data(enabled: bool = True) -> None:
    """Let :func:`paused_gc` freeze (``gc.freeze``) the data it built.

    For a short-lived process that owns its heap, like the command line. Built data has
    no reference cycles, so reference counting still frees it when it is dropped; the
    cyclic collector simply never scans it again. Library users who care about their own
    cycles leave this off.
    """
    global _FREEZE_AFTER_BUILD
    _FREEZE_AFTER_BUILD = enabled


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building data.

    Parsing allocates a great many small objects, none of them in reference cycles (node
    trees, dicts, lists, models), so they are all freed by reference counting and the
    cyclic collector only adds work: with a large file in memory, each of its passes
    scans everything, which makes loading grow faster than the file (validating a
    10,000-node protocol took 8x longer with it running). The previous state is restored
    after; see :func:`freeze_built_data` for the command line's choice to freeze.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _FREEZE_AFTER_BUILD:
                gc.freeze()
            gc.enable()
