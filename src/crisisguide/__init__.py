"""crisisguide: rehearse crisis protocols at a terminal. A training aid, not a clinical instrument.

The public API is the pure core, imported lazily so that the command line starts fast::

    from crisisguide import load_protocol, validate_protocol
    loaded = load_protocol("protocols/suicide-risk-screen.yaml")
    for problem in validate_protocol(loaded):
        print(problem)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "load_protocol": "crisisguide.loader",
    "LoadedProtocol": "crisisguide.loader",
    "validate_protocol": "crisisguide.validate",
    "Context": "crisisguide.validate",
    "Protocol": "crisisguide.model",
    "Problem": "crisisguide.errors",
    "Location": "crisisguide.errors",
    "CrisisGuideError": "crisisguide.errors",
    "load_library": "crisisguide.library",
    "search_folders": "crisisguide.library",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'crisisguide' has no attribute {name!r}")
