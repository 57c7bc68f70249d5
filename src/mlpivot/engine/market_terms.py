"""The terms market questions are asked in: the role pay is compared against, and the levels.

Plain constants, apart from `engine.market` and its models, so that the command line can name
them in its help without loading the market figures' schema at start-up.
"""

from __future__ import annotations

REFERENCE_ROLE = "software-engineer"
LEVELS = ("entry", "mid", "senior", "executive")
