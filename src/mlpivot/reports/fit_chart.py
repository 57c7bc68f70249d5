"""How much of each category of a role's skills a person covers, role beside role."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from mlpivot.errors import UserError


def plot_category_coverage(series: Mapping[str, Mapping[str, float]], path: Path) -> Path:
    """Grouped bars, one group per skill category and one bar per role; a role that needs
    nothing in a category has no bar there (rather than a misleading zero)."""
    if path.suffix.lower() not in (".png", ".svg"):
        raise UserError(f"{path}: a chart is written as .png or .svg")
    categories = sorted({c for shares in series.values() for c in shares}, reverse=True)
    if not categories:
        raise UserError("there is nothing to draw: no role has skills")
    height = 0.8 / max(1, len(series))
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(categories) * max(1, len(series)) / 2 + 2))
    for i, (name, shares) in enumerate(series.items()):
        rows = [(k, shares[c]) for k, c in enumerate(categories) if c in shares]
        bars = ax.barh(
            [k + i * height for k, _ in rows],
            [v * 100 for _, v in rows],
            height=height,
            label=name,
        )
        # a label on every bar, so that 0% (needed, not covered) is visible too
        ax.bar_label(bars, labels=[f"{v:.0%}" for _, v in rows], padding=2, fontsize=7)
    ax.set_yticks([k + height * (len(series) - 1) / 2 for k in range(len(categories))])
    ax.set_yticklabels(categories)
    ax.set_xlim(0, 110)
    ax.set_xlabel("% of the role's skills in the category you cover (curated weights)")
    ax.set_title("Your skills against each role, by category")
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
    plt.close(fig)
    return path
