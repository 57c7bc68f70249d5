"""`mlpivot assess` answered at a real terminal (a pseudo-terminal), keystroke by keystroke."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

from mlpivot.bootstrap import Services
from mlpivot.config import Settings
from mlpivot.store.repositories import Profiles

ENTER, BACKSPACE, DOWN = b"\r", b"\x7f", b"\x1b[B"


def read_until_quiet(fd: int, seconds: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_questionnaire_at_a_terminal_stores_the_answers(tmp_path: Path) -> None:
    env = {**os.environ, "MLPIVOT_DATA_DIR": str(tmp_path), "TERM": "xterm", "COLUMNS": "120"}
    env.pop("DATABASE_URL", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, as a person starts it
        os.execvpe(sys.executable, [sys.executable, "-m", "mlpivot", "assess"], env)
    screen = read_until_quiet(fd, 8)
    keys = [
        ENTER,  # current role: software-engineer (the default)
        BACKSPACE * 4 + b"6" + ENTER,  # years of experience
        BACKSPACE * 4 + b"12" + ENTER,  # hours per week
    ]
    for key in keys:
        os.write(fd, key)
        screen += read_until_quiet(fd, 1.0)
    for _ in range(40):  # the rest: accept the defaults until the command ends
        try:
            os.write(fd, ENTER)
        except OSError:
            break
        screen += read_until_quiet(fd, 0.6)
        if b"Next: `mlpivot fit`" in screen:
            break
    _, status = os.waitpid(pid, 0)
    text = screen.decode(errors="replace")
    assert os.WEXITSTATUS(status) == 0, text[-2000:]
    assert "How many hours a week" in text and "Saved your profile (version 1)" in text
    services = Services(Settings(data_dir=tmp_path))
    with services.local() as (session, user):
        stored = Profiles(session, user).get()
    services.close()
    assert stored is not None
    assert stored.data["hours_per_week"] == 12 and stored.data["years_experience"] == 6
