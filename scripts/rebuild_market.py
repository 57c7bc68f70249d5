"""Rebuild the committed market figures from the raw public data.

    uv run python scripts/rebuild_market.py [--data-dir ../shared/data] [--out src/mlpivot/figures]

The data folder defaults to $MLPIVOT_SHARED_DATA, else ../shared/data beside the repository.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mlpivot.catalog.market import FIGURES_DIR
from mlpivot.ingest.market import write_market_files

REPO = Path(__file__).resolve().parents[1]


def default_data_dir() -> Path:
    return Path(os.environ.get("MLPIVOT_SHARED_DATA", REPO.parent / "shared" / "data"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild mlpivot's market figures.")
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--out", type=Path, default=FIGURES_DIR)
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"error: no data folder at {args.data_dir}", file=sys.stderr)
        return 1
    report = write_market_files(args.data_dir, args.out)
    for note in report.notes:
        print(note)
    for what, names in report.unmapped.items():
        print(f"unmapped {what}: {len(names)}")
        for item in sorted(names, key=lambda n: (-n.rows, n.name)):
            print(f"  {item.rows:6d}  {item.name}")
    print(f"wrote figures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
