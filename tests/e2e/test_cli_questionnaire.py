"""`mlpivot assess` answered at a real terminal (a pseudo-terminal), keystroke by keystroke.

Each answer is typed only once its question is on the screen (pexpect waits for the prompt
text), so the test does not depend on how fast a busy machine draws the questions.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

from mlpivot.bootstrap import Services
from mlpivot.catalog import Catalog
from mlpivot.config import Settings
from mlpivot.engine.questionnaire import questionnaire
from mlpivot.store.repositories import Profiles

ENTER, BACKSPACE, DOWN = "\r", "\x7f", "\x1b[B"
PATIENCE_S = 120
"""How long to wait for one prompt before calling the command stuck (not a speed check)."""


def test_questionnaire_at_a_terminal_stores_the_answers(tmp_path: Path, catalog: Catalog) -> None:
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path), "TERM": "xterm", "COLUMNS": "300"}
    env.pop("DATABASE_URL", None)
    typed = {
        "years_experience": BACKSPACE * 4 + "6" + ENTER,
        "hours_per_week": BACKSPACE * 4 + "12" + ENTER,
        "target_seniority": DOWN + ENTER,  # from the default, mid, to senior
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mlpivot", "assess"],
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(50, 300),
        timeout=PATIENCE_S,
    )
    try:
        for prompt in questionnaire(catalog):
            child.expect_exact(prompt.text)
            child.send(typed.get(prompt.id, ENTER))
        child.expect_exact("Saved your profile (version 1)")
        child.expect_exact("Next: `mlpivot fit`")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    services = Services(Settings(data_dir=tmp_path))
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    services.close()
    assert stored is not None
    assert stored.data["hours_per_week"] == 12 and stored.data["years_experience"] == 6
    assert stored.data["target_seniority"] == "senior"
