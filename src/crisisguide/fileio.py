"""Writing files so that nothing is lost: outputs are checked before any work is done,
written atomically, and appended to without ever rewriting what is there.

- :func:`check_output` refuses, before a walk or a drill starts, an output path that could
  not be written or should not be: an empty path, a folder (or a link to one), a FIFO or a
  device, one of the command's own input files, a read-only file without ``--force``, a
  folder that does not exist or cannot be written.
- :func:`write_text_atomic` writes a temporary file in the same folder, flushes it to disk
  and renames it over the target, so a file is either fully written or not changed; an
  existing file keeps its mode (a private record never becomes more readable).
- :class:`AppendFile` appends one line with a single ``write`` under ``O_APPEND`` and a lock,
  so concurrent writers never lose a line, and the file keeps its owner, mode and links.

Kept here rather than taken from a package because the well-known one (atomicwrites) is
archived, and this is a few dozen lines of the standard library.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import CrisisGuideError, UsageError
from .language import _

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: O_APPEND alone keeps each line whole
    fcntl = None  # type: ignore[assignment]

STDOUT = "-"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _cannot_write(path: Path, exc: OSError) -> CrisisGuideError:
    # Translators: {reason} is the operating system's own words (English, or its language).
    return CrisisGuideError(
        _("cannot write {path}: {reason}").format(path=path, reason=_reason(exc))
    )


def check_output(
    path: Path | str, *, inputs: Iterable[Path | str] = (), force: bool = False
) -> Path | None:
    """The output path, checked before any work is done; None means standard output (``-``).

    Raises :class:`UsageError` for a path that is not a place to write a file, and
    :class:`CrisisGuideError` for one that cannot or should not be written now.
    """
    text = str(path)
    if text == STDOUT:
        return None
    if not text.strip():
        raise UsageError(_("the output path is empty; give a file name, or - for standard output"))
    target = Path(text)
    try:
        info = target.stat()  # follows links: a link to a folder is a folder
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    if info is not None:
        _check_existing(target, info, inputs, force)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CrisisGuideError(
            _("cannot write {path}: the folder {folder} does not exist").format(
                path=target, folder=folder
            )
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CrisisGuideError(
            _("cannot write {path}: the folder {folder} is not writable").format(
                path=target, folder=folder
            )
        )
    return target


def _check_existing(
    target: Path, info: os.stat_result, inputs: Iterable[Path | str], force: bool
) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(_("{path} is a folder; give a file name inside it").format(path=target))
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(
            _(
                "{path} is not a regular file (a FIFO, device or socket); write to a file, "
                "or use - for standard output"
            ).format(path=target)
        )
    for source in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(source, target):
                raise UsageError(
                    _(
                        "{path} is one of this command's own input files; choose another name"
                    ).format(path=target)
                )
    read_only = not info.st_mode & 0o222 or not os.access(target, os.W_OK)
    if read_only and not force:
        raise CrisisGuideError(
            _("{path} is read-only; add --force to replace it").format(path=target)
        )


def write_text_atomic(path: Path | str, content: str, *, private: bool = False) -> None:
    """Write ``content`` to ``path`` atomically; ``private`` makes a new file owner-only
    (0600) and never widens an existing one.

    Any failure (missing folder, no permission, disk full) is one clear
    :class:`CrisisGuideError`, and no partial file is left behind.
    """
    write_chunks_atomic(path, [content], private=private)


def write_chunks_atomic(path: Path | str, chunks: Iterable[str], *, private: bool = False) -> None:
    """:func:`write_text_atomic` for text made piece by piece (a large export): each chunk
    is written as it comes, so the whole text is never held in memory."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target, private)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _mode_for(target: Path, private: bool) -> int:
    """An existing file keeps its mode (a private one is never made more readable than
    owner-only); a new file is 0600 when private, else 0644 less the umask."""
    try:
        existing = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        existing = None
    if existing is not None:
        return existing & 0o600 if private else existing
    return 0o600 if private else 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AppendFile:
    """A file opened for appending lines, from before the work starts to when it is done.

    Opening checks the path at once (a folder, a FIFO, a device or an unwritable file is
    refused before any question is asked). :meth:`append` writes one line with a single
    ``write`` under ``O_APPEND`` and an exclusive lock, so lines from concurrent writers are
    never lost or interleaved; the file keeps its owner, mode and symbolic links, and a new
    file is created owner-only (0600). Appending costs the length of the line, whatever the
    size of the file. A file that may be written but not read (a shared file of mode 0620)
    is appended to as a shell's ``>>`` would, without first checking that it ends with a
    line break.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not str(path).strip():
            raise UsageError(_("the results path is empty; give a file name"))
        with contextlib.suppress(OSError):
            if not stat.S_ISREG(self.path.stat().st_mode):  # never open a FIFO: it would block
                raise UsageError(
                    (
                        _("{path} is a folder; append to a regular file")
                        if self.path.is_dir()
                        else _("{path} is not a regular file; append to a regular file")
                    ).format(path=self.path)
                )
        flags = os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        self._readable = True  # read to see whether the file ends with a line break
        try:
            try:
                self._fd: int | None = os.open(self.path, flags | os.O_RDWR, 0o600)
            except PermissionError:  # writable but not readable (mode 0620): append like >>
                self._readable = False
                self._fd = os.open(self.path, flags | os.O_WRONLY, 0o600)
        except IsADirectoryError:
            raise UsageError(
                _("{path} is a folder; give a file name inside it").format(path=self.path)
            ) from None
        except OSError as exc:
            raise _cannot_write(self.path, exc) from None
        if not stat.S_ISREG(os.fstat(self._fd).st_mode):
            self.close()
            raise UsageError(
                _(
                    "{path} is not a regular file (a FIFO, device or socket); append to a file"
                ).format(path=self.path)
            )

    def append(self, line: str) -> None:
        """Add ``line`` (one line; a newline is added) at the end of the file."""
        assert self._fd is not None, "append after close"
        fd = self._fd
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                size = os.fstat(fd).st_size if self._readable else 0
                needs_break = size > 0 and os.pread(fd, 1, size - 1) != b"\n"
                data = (("\n" if needs_break else "") + line.rstrip("\n") + "\n").encode()
                while data:
                    data = data[os.write(fd, data) :]
                os.fsync(fd)
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError as exc:
            raise _cannot_write(self.path, exc) from None

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> AppendFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
