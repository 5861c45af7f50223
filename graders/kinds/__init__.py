"""Built-in grader kinds: every sibling module is imported, which registers its kinds.

Never edited when a kind is added. Third-party kinds join through the
`graders.kinds` entry-point group.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points


def _discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    for ep in entry_points(group="graders.kinds"):
        ep.load()


_discover()
