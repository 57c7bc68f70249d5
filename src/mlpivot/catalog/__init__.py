"""The knowledge base as typed, frozen, cross-checked values.

The names below are imported on first use (PEP 562): importing a light module of this package,
such as `catalog.vocabulary`, does not load the models and the loader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlpivot.catalog.catalog import BUILTIN_DIR, Catalog, default_catalog, load_catalog
    from mlpivot.catalog.graph import PrerequisiteGraph

__all__ = ["BUILTIN_DIR", "Catalog", "PrerequisiteGraph", "default_catalog", "load_catalog"]

_HOMES = {
    "BUILTIN_DIR": "mlpivot.catalog.catalog",
    "Catalog": "mlpivot.catalog.catalog",
    "PrerequisiteGraph": "mlpivot.catalog.graph",
    "default_catalog": "mlpivot.catalog.catalog",
    "load_catalog": "mlpivot.catalog.catalog",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mlpivot.catalog' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
