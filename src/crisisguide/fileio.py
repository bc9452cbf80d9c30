"""Atomic file writes: a file is either fully written or not there at all.

The standard pattern (a temporary file in the same folder, flushed and fsynced, then
``os.replace``), in one place. Kept here rather than taken from a package because the
well-known one (atomicwrites) is archived, and this is a dozen lines of stdlib.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import CrisisGuideError


def write_text_atomic(path: Path | str, content: str, *, private: bool = False) -> None:
    """Write ``content`` to ``path`` atomically; ``private`` makes it owner-only (0600).

    Any failure (missing folder, no permission, disk full) is one clear
    :class:`CrisisGuideError`, and no partial file is left behind.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    data = content.encode("utf-8")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp_name, 0o600 if private else 0o644 & ~_umask())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CrisisGuideError(f"cannot write {target}: {reason}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
