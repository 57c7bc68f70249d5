"""mlpivot: plan a move from software engineering into machine learning.

The public API is exactly `__all__`; a test pins it.
"""

from mlpivot.catalog import load_catalog
from mlpivot.engine.fit import rank_roles
from mlpivot.engine.grading import grade_answer
from mlpivot.ingest.classify import classify_posting
from mlpivot.ingest.extract import extract_skills

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "classify_posting",
    "extract_skills",
    "grade_answer",
    "load_catalog",
    "rank_roles",
]
