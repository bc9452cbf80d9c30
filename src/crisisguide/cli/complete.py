"""Shell completion (bash, zsh, fish, through typer's own mechanism): protocol ids, drill
ids, regions and referral kinds. Completion never fails: a broken library completes
nothing rather than print an error into the shell."""

from __future__ import annotations

from collections.abc import Callable


def _safely(find: Callable[[], list[str]]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        try:
            return [word for word in find() if word.startswith(incomplete)]
        except Exception:  # completion must never print an error into the shell
            return []

    return complete


def _library_ids(kind: str) -> list[str]:
    from ..library import load_library, search_folders

    return sorted({h.id for h in load_library(search_folders()).headers if h.kind == kind and h.id})


def _regions() -> list[str]:
    from ..referrals import ISO_REGIONS

    return sorted(ISO_REGIONS | {"UK"})


def _kinds() -> list[str]:
    from ..formats import REFERRAL_KINDS

    return list(REFERRAL_KINDS)


protocol_ids = _safely(lambda: _library_ids("protocol"))
drill_ids = _safely(lambda: _library_ids("drill"))
regions = _safely(_regions)
kinds = _safely(_kinds)
