"""Every file the README links to is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_relative_link_in_the_readme_exists() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in t]
    assert targets, "the README links to files in the repository"
    missing = [t for t in targets if not (REPO / t.split("#", 1)[0]).exists()]
    assert not missing, missing
