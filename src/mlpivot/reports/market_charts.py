"""Charts of the market figures: pay spread per role, and skill demand bars.

Each chart names its sources and sample sizes on the image itself, so a chart copied out of
context still says where its numbers come from.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from mlpivot.engine.market import DemandView, PayFigure

CHART_FORMATS = (".png", ".svg")


def _check_path(path: Path) -> None:
    if path.suffix.lower() not in CHART_FORMATS:
        raise ValueError(f"{path}: a chart is written as .png or .svg")


def plot_pay(figures: list[PayFigure], path: Path, title: str) -> Path:
    """p10-p90 bar, p25-p75 box and median tick per row; thin rows are listed, not drawn."""
    _check_path(path)
    drawable = [f for f in figures if f.status == "ok" and f.percentiles and f.currency == "USD"]
    drawable = [f for f in drawable if all(v is not None for v in (f.percentiles or {}).values())]
    left_out = [f for f in figures if f not in drawable]
    height = max(2.5, 0.6 * len(drawable) + 1.8)
    fig, ax = plt.subplots(figsize=(10, height))
    for i, f in enumerate(drawable):
        p = {k: int(v or 0) for k, v in (f.percentiles or {}).items()}
        ax.plot([p["p10"], p["p90"]], [i, i], color="0.6", linewidth=2)
        ax.barh(i, p["p75"] - p["p25"], left=p["p25"], height=0.4, color="tab:blue", alpha=0.6)
        ax.plot([p["p50"]], [i], marker="|", markersize=18, color="black")
    ax.set_yticks(range(len(drawable)))
    ax.set_yticklabels(
        [f"{f.role_id} — {f.source_id} {f.year}\n{f.scope} (n={f.sample_size})" for f in drawable],
        fontsize=7,
    )
    ax.set_xlabel("annual pay, USD (bar p10–p90, box p25–p75, tick = median)")
    ax.set_title(title, fontsize=10)
    footer = "; ".join(f"{f.role_id}/{f.source_id}: {f.status}" for f in left_out)
    if footer:
        fig.text(0.01, 0.01, f"Not drawn: {footer}", fontsize=6, wrap=True)
    fig.tight_layout(rect=(0, 0.05 if footer else 0, 1, 1))
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_demand(view: DemandView, path: Path, top: int = 20) -> Path:
    """Horizontal bars of the share of postings (or respondents) naming each skill."""
    _check_path(path)
    items = list(view.shares.items())[:top]
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.3 * len(items) + 1.5)))
    ax.barh([k for k, _ in reversed(items)], [100 * v for _, v in reversed(items)])
    ax.set_xlabel(f"% of {view.sample_kind}")
    ax.set_title(
        f"{view.role_id}: {view.group}\n{view.source} {view.year}, n={view.sample_size}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
