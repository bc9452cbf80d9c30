"""Every check of docs/format.md ("Validation codes") on protocols, drills and referral
directories -> lists of :class:`~crisisguide.errors.Problem`. Pure: never raises for bad
input, never prints.

- :mod:`.protocol`: one protocol file (:func:`validate_protocol`), built from
  :mod:`.nodes` (header and nodes), :mod:`.flow` (flow analyses) and :mod:`.wording`
  (safe language);
- :mod:`.references`: checks against the rest of a library (referrals, follow-ups,
  duplicate ids), on small per-file summaries;
- :mod:`.paths`: files and folders as ``validate`` checks them (:func:`check_paths`, the
  one entry point) and the library as ``list`` shows it.
"""

from __future__ import annotations

from .paths import check_paths, library_rows, usable_protocol
from .protocol import validate_protocol
from .references import (
    Context,
    Summary,
    check_duplicate_ids,
    check_references,
    library_context,
    summarize,
)

__all__ = [
    "Context", "Summary", "check_duplicate_ids", "check_paths", "check_references",
    "library_context", "library_rows", "summarize", "usable_protocol", "validate_protocol",
]  # fmt: skip
