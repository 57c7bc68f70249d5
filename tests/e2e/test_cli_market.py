"""`mlpivot market`: roles come from the catalog, figures through the services, and `rebuild`
writes only where it is told."""

from __future__ import annotations

import json
from pathlib import Path


def test_market_pay_takes_a_role_name_the_catalog_knows(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("market", "pay", "--role", "Applied ML Engineer", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["comparison"]["role_id"] == "ml-engineer"


def test_market_refuses_a_role_that_is_not_a_target_in_one_sentence(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("market", "skills", "--role", "astronaut")
    assert done.returncode == 1
    assert "unknown role 'astronaut'" in done.stderr and "ml-engineer" in done.stderr
    assert "Traceback" not in done.stderr


def test_market_rebuild_needs_to_be_told_where_to_write(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("market", "rebuild").returncode == 2
    out = tmp_path / "figures"
    done = cli(
        "market", "rebuild", "--out", str(out), MLPIVOT_SHARED_DATA=str(tmp_path / "nowhere")
    )
    assert done.returncode == 1 and "no data folder at" in done.stderr
    assert not out.exists()
