"""What was read from files that have not changed since: the header of each library file
and the data of referral directories, so that a command does not parse what it parsed the
last time (docs/format.md, "The cache").

An entry is keyed on the file's real path and its stamp: size, modification and change
times in nanoseconds, inode and device. A file changed less than two seconds ago is not
cached, because its timestamps cannot yet tell a second change apart; the change time
cannot be set back by hand, so a file replaced by another of the same size and date is
still seen as new. The cache is a folder: ``$CRISISGUIDE_CACHE``, else
``$XDG_CACHE_HOME/crisisguide``, else ``~/.cache/crisisguide``;
``CRISISGUIDE_CACHE=off`` turns it off. It only ever saves time: an unreadable,
unwritable or damaged cache is ignored, and what comes out of it is checked like a
freshly parsed file.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

ENV_CACHE = "CRISISGUIDE_CACHE"
FORMAT = 3  # 2: every format character stripped from text; 3: file names by checksums
SETTLE_NS = 2_000_000_000
PRUNE_AFTER = 1000


def folder() -> Path | None:
    """The cache folder in effect, or None when the cache is off."""
    chosen = os.environ.get(ENV_CACHE, "")
    if chosen.strip().lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "crisisguide" if os.path.isabs(base) else None


def stamp(path: str) -> tuple[str, str] | None:
    """(real path, stamp) of a regular file that has settled, or None (not cacheable)."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    now = time.time_ns()
    if now - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLE_NS:
        return None
    return real, f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def _name(path: str) -> str:
    """A short file name for ``path``'s entry (two checksums, not a cryptographic hash:
    each entry stores its path and is used only when the path matches, so names that
    collide cost a miss, never a wrong answer; and zlib loads faster than hashlib)."""
    import zlib

    raw = path.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"


def size(key: tuple[str, str]) -> int:
    """The size in bytes of the file a stamp was taken of."""
    return int(key[1].split(":", 1)[0])


def _read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as stream:
            found = json.load(stream)
    except (OSError, ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) and found.get("format") == FORMAT else None


def _write_json(path: Path, value: Any) -> None:
    """Write atomically (another process may be reading); a failure is ignored."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump(value, stream, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError, TypeError, RecursionError):
        pass


class Headers:
    """The headers of library files: one small file per folder, so that a command reads
    the cache of the folders it looks in and nothing else."""

    def __init__(self) -> None:
        self.where = folder()
        self._folders: dict[str, dict[str, Any]] = {}
        self._changed: set[str] = set()

    def _file(self, parent: str) -> Path:
        assert self.where is not None
        name = _name(parent)
        return self.where / "headers" / f"{name}.json"

    def _entries(self, real: str) -> dict[str, Any]:
        parent = os.path.dirname(real)
        entries = self._folders.get(parent)
        if entries is None:
            found = _read_json(self._file(parent))
            loaded = found.get("entries") if found and found.get("folder") == parent else None
            entries = self._folders[parent] = loaded if isinstance(loaded, dict) else {}
        return entries

    def get(self, key: tuple[str, str] | None) -> dict[str, Any] | None:
        if key is None or self.where is None:
            return None
        entry = self._entries(key[0]).get(os.path.basename(key[0]))
        if isinstance(entry, dict) and entry.get("stamp") == key[1]:
            value = entry.get("header")
            return value if isinstance(value, dict) else None
        return None

    def put(self, key: tuple[str, str] | None, header: dict[str, Any]) -> None:
        if key is None or self.where is None:
            return
        self._entries(key[0])[os.path.basename(key[0])] = {"stamp": key[1], "header": header}
        self._changed.add(os.path.dirname(key[0]))

    def save(self) -> None:
        if self.where is None:
            return
        for parent in sorted(self._changed):
            entries = self._folders[parent]
            if len(entries) > PRUNE_AFTER:  # now and then, forget files that are gone
                entries = {
                    k: v for k, v in entries.items() if os.path.exists(os.path.join(parent, k))
                }
            value = {"format": FORMAT, "folder": parent, "entries": entries}
            _write_json(self._file(parent), value)
        self._changed.clear()


def _data_file(where: Path, real: str) -> Path:
    return where / "data" / (_name(real) + ".json")


def get_data(key: tuple[str, str] | None) -> tuple[Any, str] | None:
    """(data, sha256) of a file read before and unchanged since, or None."""
    where = folder()
    if key is None or where is None:
        return None
    found = _read_json(_data_file(where, key[0]))
    if not found or found.get("path") != key[0] or found.get("stamp") != key[1]:
        return None
    sha = found.get("sha256")
    return (found.get("data"), sha) if isinstance(sha, str) else None


def put_data(key: tuple[str, str] | None, data: Any, sha256: str) -> None:
    """Remember the data of a file that parsed without any problem (plain JSON data with
    text keys only: anything else is not cached)."""
    where = folder()
    if key is None or where is None or not _plain(data):
        return
    value = {"format": FORMAT, "path": key[0], "stamp": key[1], "sha256": sha256, "data": data}
    _write_json(_data_file(where, key[0]), value)


def _plain(value: Any) -> bool:
    """Data that comes back from JSON exactly as it went in."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            if not all(isinstance(k, str) for k in item):
                return False
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                return False
        elif not (item is None or isinstance(item, (str, int, bool))):
            return False
    return True
