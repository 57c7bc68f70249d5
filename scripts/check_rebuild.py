"""Rebuild the figures and retrain the models into a temporary folder; compare with the committed.

    uv run python scripts/check_rebuild.py [--data-dir DIR] [--skip-models]   # make rebuild-check

Nothing in the repository is written. Prints, per output file, whether the rebuild is byte for
byte the committed file; exits 1 if any is not. Training the extractor's CRF takes minutes.
See docs/DATA.md for what is expected to differ and why.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURES = REPO / "src" / "mlpivot" / "figures"
MODELS = REPO / "src" / "mlpivot" / "ingest" / "models"
TITLE_WORDS = REPO / "src" / "mlpivot" / "ingest" / "title_words.txt"
VECTORS = REPO / "src" / "mlpivot" / "catalog" / "data" / "grading_vectors.npz"


def _run(*args: str) -> None:
    subprocess.run([sys.executable, *args], cwd=REPO, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check that a rebuild reproduces mlpivot's files.")
    default = os.environ.get("MLPIVOT_SHARED_DATA", str(REPO.parent / "shared" / "data"))
    parser.add_argument("--data-dir", type=Path, default=Path(default))
    parser.add_argument("--skip-models", action="store_true", help="figures only (seconds)")
    args = parser.parse_args(argv)
    data = str(args.data_dir)
    if not args.data_dir.is_dir():
        print(f"error: no data folder at {data}; run `make data` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="mlpivot-rebuild-") as tmp:
        out = Path(tmp)
        pairs: list[tuple[Path, Path]] = []
        _run("scripts/rebuild_market.py", "--data-dir", data, "--out", str(out / "figures"))
        pairs += [(FIGURES / p.name, p) for p in sorted((out / "figures").iterdir())]
        _run("scripts/build_title_words.py", "--data", data, "--out", str(out / "title_words.txt"))
        pairs.append((TITLE_WORDS, out / "title_words.txt"))
        if not args.skip_models:
            models = out / "models"
            _run(
                "scripts/train_posting_classifier.py",
                "--data",
                data,
                "--out",
                str(models / "posting_roles_lr.json"),
            )
            _run("scripts/train_extractor.py", "--data", data, "--out", str(models))
            pairs += [(MODELS / p.name, p) for p in sorted(models.iterdir())]
        differ = 0
        for committed, rebuilt in pairs:
            same = committed.is_file() and filecmp.cmp(committed, rebuilt, shallow=False)
            differ += not same
            print(f"{'same   ' if same else 'DIFFERS'}  {committed.relative_to(REPO)}")
        if not args.skip_models:
            # The grading vectors are rebuilt in memory and compared by their own script.
            vectors = subprocess.run(
                [sys.executable, "scripts/build_grading_vectors.py", "--data", data, "--check"],
                cwd=REPO,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            pairs.append((VECTORS, VECTORS))
            differ += vectors.returncode != 0
            same = vectors.returncode == 0
            print(f"{'same   ' if same else 'DIFFERS'}  {VECTORS.relative_to(REPO)}")
    print(f"{len(pairs) - differ} of {len(pairs)} files rebuilt byte for byte")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
