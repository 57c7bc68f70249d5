"""`mlpivot export anki`: a real .apkg (SQLite in a zip) whose ids stay put between exports."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from mlpivot.catalog import Catalog


def notes_of(apkg: Path, tmp_path: Path) -> tuple[list[tuple[str, int, str]], str]:
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp_path / apkg.stem)
    db = sqlite3.connect(tmp_path / apkg.stem / "collection.anki2")
    try:
        notes = db.execute("select guid, mid, flds from notes order by guid").fetchall()
        decks = db.execute("select decks from col").fetchone()[0]
    finally:
        db.close()
    return notes, decks


def deck_id(decks: str, name: str) -> int:
    (found,) = [int(d["id"]) for d in json.loads(decks).values() if d["name"] == name]
    return found


def test_anki_export_writes_the_role_and_skill_questions_with_stable_ids(
    cli: Callable[..., CompletedProcess[str]], tmp_path: Path, catalog: Catalog
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    args = ("export", "anki", "--role", "data-scientist", "--skill", "logistic-regression")
    done = cli(*args, "--out", str(first))
    assert done.returncode == 0, done.stderr
    assert cli(*args, "--out", str(second)).returncode == 0
    expected = {
        q.id
        for q in catalog.question_bank.values()
        if q.type in ("mcq", "short")
        and "data-scientist" in q.roles
        and "logistic-regression" in q.skills
    }
    assert expected
    notes, decks = notes_of(first, tmp_path)
    again, decks_again = notes_of(second, tmp_path)
    ids = {fields.split("\x1f")[3] for _, _, fields in notes}
    assert ids == expected
    assert f"Wrote {len(expected)} cards" in done.stderr
    assert notes == again  # same guids, same model id, same fields: Anki updates, not copies
    assert len({mid for _, mid, _ in notes}) == 1
    name = "mlpivot::data-scientist::logistic-regression"
    assert deck_id(decks, name) == deck_id(decks_again, name)
    mcq = next(
        catalog.question_bank[i] for i in sorted(expected) if catalog.question_bank[i].type == "mcq"
    )
    (fields,) = [f for _, _, f in notes if f.split("\x1f")[3] == mcq.id]
    front, back = fields.split("\x1f")[:2]
    right = mcq.correct_option or 0
    assert f"{'ABCDEFGH'[right]}. " in back
    assert all(f"{'ABCDEFGH'[i]}. " in front for i in range(len(mcq.options)))


def test_anki_export_with_nothing_to_export_is_one_plain_sentence(
    cli: Callable[..., CompletedProcess[str]], tmp_path: Path
) -> None:
    done = cli("export", "anki", "--role", "data-engineer", "--skill", "computer-vision",
               "--out", str(tmp_path / "x.apkg"))  # fmt: skip
    assert done.returncode == 1
    assert "no question matches --role and --skill" in done.stderr
