"""The word vectors the grader uses, read once from the committed artefact.

Why here: the engine stays free of I/O; reading package data belongs with the catalog, which
already reads the knowledge base. Rebuilt by scripts/build_grading_vectors.py.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt


@lru_cache(maxsize=1)
def grading_vectors() -> tuple[dict[str, int], npt.NDArray[np.float32]]:
    """Stem -> row, and unit-length rows (float32); empty if the artefact is absent."""
    path = resources.files("mlpivot.catalog") / "data" / "grading_vectors.npz"
    if not path.is_file():
        return {}, np.zeros((0, 0), dtype=np.float32)
    with resources.as_file(path) as real, np.load(real) as data:
        words = [str(w) for w in data["words"]]
        vectors = data["vectors"].astype(np.float32)
    return {w: i for i, w in enumerate(words)}, vectors
