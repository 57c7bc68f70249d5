"""The knowledge base as typed, frozen, cross-checked values."""

from mlpivot.catalog.catalog import BUILTIN_DIR, Catalog, load_catalog
from mlpivot.catalog.graph import PrerequisiteGraph

__all__ = ["BUILTIN_DIR", "Catalog", "PrerequisiteGraph", "load_catalog"]
