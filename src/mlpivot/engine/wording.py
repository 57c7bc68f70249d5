"""Figures the way people say them, for every place that prints study time to a person.

Exact figures stay in `--json`; a person reads "40 min" or "2.5 h", never "0.667 h".
"""

from __future__ import annotations


def hours_said(hours: float) -> str:
    """Study time as people say it: under an hour in minutes, else to the nearest half hour."""
    if hours < 1:
        return f"{hours * 60:.0f} min"
    return f"{round(hours * 2) / 2:g} h"
