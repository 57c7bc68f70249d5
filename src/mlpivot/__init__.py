"""mlpivot: plan a move from software engineering into machine learning.

The public API is exactly `__all__`; a test pins it. Its names are imported on first use
(PEP 562), so that `import mlpivot.cli.app` or `import mlpivot.errors` costs only what that
module needs, not the whole catalog, engine and extractor.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlpivot.catalog import load_catalog
    from mlpivot.engine.fit import rank_roles
    from mlpivot.engine.grading import grade_answer
    from mlpivot.ingest.classify import classify_posting
    from mlpivot.ingest.extract import extract_skills


__version__ = "0.1.0"
"""The one place the version is written: the build reads it from here (pyproject.toml
`[tool.hatch.version]`), so `--version` and the wheel never disagree, and reading it costs no
importlib.metadata at start-up."""

__all__ = [
    "__version__",
    "classify_posting",
    "extract_skills",
    "grade_answer",
    "load_catalog",
    "rank_roles",
]

_HOMES = {
    "classify_posting": "mlpivot.ingest.classify",
    "extract_skills": "mlpivot.ingest.extract",
    "grade_answer": "mlpivot.engine.grading",
    "load_catalog": "mlpivot.catalog",
    "rank_roles": "mlpivot.engine.fit",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mlpivot' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
