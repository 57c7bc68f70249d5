"""What the repositories hand out: plain values, free of SQLAlchemy.

Kept apart from the repositories so the quick read path (`store.quick_read`) gives the very same
values without importing SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class StoredProfile:
    public_id: str
    version: int
    data: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class StoredPlan:
    public_id: str
    role_id: str
    version: int
    is_current: bool
    data: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class StoredProgress:
    public_id: str
    skill_id: str
    hours: float
    done: bool
    logged_on: datetime
