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

import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

ENV_CACHE = "CRISISGUIDE_CACHE"
FORMAT = 2  # 2: every format character stripped from text
SETTLE_NS = 2_000_000_000
MAX_ENTRIES = 5000
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
    """The headers of library files (one small file for all of them)."""

    def __init__(self) -> None:
        self.where = folder()
        self._entries: dict[str, Any] | None = None
        self._changed = False

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            found = _read_json(self.where / "headers.json") if self.where else None
            entries = found.get("entries") if found else None
            self._entries = entries if isinstance(entries, dict) else {}
        return self._entries

    def get(self, key: tuple[str, str] | None) -> dict[str, Any] | None:
        if key is None or self.where is None:
            return None
        entry = self._load().get(key[0])
        if isinstance(entry, dict) and entry.get("stamp") == key[1]:
            value = entry.get("header")
            return value if isinstance(value, dict) else None
        return None

    def put(self, key: tuple[str, str] | None, header: dict[str, Any]) -> None:
        if key is None or self.where is None:
            return
        entries = self._load()
        entries.pop(key[0], None)  # newest last: the oldest are dropped first
        entries[key[0]] = {"stamp": key[1], "header": header}
        self._changed = True

    def save(self) -> None:
        if not self._changed or self.where is None or self._entries is None:
            return
        entries = self._entries
        if len(entries) > PRUNE_AFTER:  # now and then, forget files that are gone
            entries = {k: v for k, v in entries.items() if os.path.exists(k)}
        kept = dict(list(entries.items())[-MAX_ENTRIES:])
        _write_json(self.where / "headers.json", {"format": FORMAT, "entries": kept})
        self._changed = False


def _data_file(where: Path, real: str) -> Path:
    return (
        where
        / "data"
        / (hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".json")
    )


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
