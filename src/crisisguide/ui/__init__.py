"""Everything that talks to the terminal: Rich renderables (:mod:`.render`, :mod:`.screens`,
:mod:`.contacts`, :mod:`.richtext`), the console (:mod:`.console`), questionary prompts
(:mod:`.prompts`) and the interactive loops of ``run`` and ``drill run`` (:mod:`.walk`,
:mod:`.drill`).

The only package that imports rich or questionary (a lint rule holds this line). Its
modules are imported by the commands that need them, never at start-up. :mod:`.lines`
imports neither: it lays referral listings out as lines, and writes them as text where
Rich is not needed (``crisisguide now | cat``).
"""

from __future__ import annotations

import os

__all__ = ["dumb_terminal"]


def dumb_terminal() -> bool:
    """A terminal without cursor control (``TERM=dumb``, or no TERM at all). It gets no
    escape sequence at all: prompts are the numbered, typed choices of ``--plain`` read as
    plain lines (no prompt_toolkit), Rich prints no colour or style, and long screens are
    printed straight through, not paged."""
    return os.environ.get("TERM", "") in ("", "dumb")
