"""Where the built-in files are, without importing anything heavy."""

from __future__ import annotations

from pathlib import Path

__all__ = ["builtin_dir", "default_directory_file"]


def builtin_dir() -> Path:
    """The built-in library: inside the installed package, or the repository's top level.

    A wheel carries ``protocols/`` as ``crisisguide/protocols``; an editable install or a
    source checkout runs from ``src/`` and finds the folder two levels up.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "protocols"
    if packaged.is_dir():
        return packaged
    checkout = here.parents[1] / "protocols"
    if checkout.is_dir():
        return checkout
    from importlib import resources  # a package imported from a zip file, say

    return Path(str(resources.files("crisisguide"))) / "protocols"


def default_directory_file() -> Path:
    """The shipped referral directory (national emergency numbers and crisis lines)."""
    return builtin_dir() / "referrals" / "default.yaml"
