"""Long screens through a pager, so that the top of an outcome or a debrief (what to do
now) is never lost off the top of a small terminal.

Only when standard output is a terminal that can move its cursor and the text is taller
than it: piped output, a dumb terminal (``TERM=dumb``) and ``--no-pager`` print straight
through. The pager is ``$PAGER``, else ``less -R -F -X``
(colours kept, no pager for text that fits, and the text stays on screen after quitting);
with neither, the text is printed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

from rich.console import RenderableType

from . import dumb_terminal
from .console import Console


def page(out: Console, renderable: RenderableType, *, enabled: bool = True) -> None:
    if not enabled or not out.is_terminal or dumb_terminal():
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    content = captured.get()
    command = _pager()
    if command is None or content.count("\n") < out.size.height - 1:
        out.file.write(content)
        out.file.flush()
        return
    try:
        subprocess.run(command, input=content.encode(out.encoding, "replace"), check=False)
    except OSError:  # the pager could not start: the text is what matters
        out.file.write(content)
        out.file.flush()


def _pager() -> list[str] | None:
    chosen = os.environ.get("PAGER", "").strip()
    if chosen:
        command = shlex.split(chosen)
        return command if shutil.which(command[0]) else None
    less = shutil.which("less")
    return [less, "-R", "-F", "-X"] if less else None
