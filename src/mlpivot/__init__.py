"""mlpivot: plan a move from software engineering into machine learning.

The public API is exactly `__all__`; a test pins it.
"""

from mlpivot.catalog import load_catalog
from mlpivot.engine.fit import rank_roles
from mlpivot.ingest.classify import classify_posting
from mlpivot.ingest.extract import extract_skills


def _version() -> str:
    """The installed distribution's version, so `--version` and the wheel never disagree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mlpivot")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


__version__ = _version()

__all__ = [
    "__version__",
    "classify_posting",
    "extract_skills",
    "load_catalog",
    "rank_roles",
]
