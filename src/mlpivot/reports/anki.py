"""Question bank items as an Anki package (.apkg), for people who review in Anki.

The model id, each deck's id and each note's guid are derived from fixed names and question
ids, never drawn at random: importing a newer export into Anki updates the notes already there
instead of adding copies.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from pathlib import Path

from mlpivot.catalog.models import QuizQuestion

MODEL_NAME = "mlpivot question"
LETTERS = "ABCDEFGH"


def stable_id(name: str) -> int:
    """A positive id below 2**31 that a name always maps to (Anki wants an int64 id)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") >> 1 | 1 << 30


def _front(q: QuizQuestion) -> str:
    text = html.escape(q.question)
    if q.type == "mcq":
        items = "".join(
            f"<li>{LETTERS[i]}. {html.escape(o.text)}</li>" for i, o in enumerate(q.options)
        )
        text += f"<ul style='list-style:none'>{items}</ul>"
    return text


def _back(q: QuizQuestion) -> str:
    if q.type == "mcq":
        right = q.correct_option or 0
        option = q.options[right]
        return f"<b>{LETTERS[right]}. {html.escape(option.text)}</b><br>{html.escape(option.why)}"
    points = "".join(f"<li>{html.escape(p)}</li>" for p in q.rubric)
    return f"{html.escape(q.reference)}<ul>{points}</ul>"


def write_apkg(questions: Iterable[QuizQuestion], deck_name: str, out: Path) -> int:
    """Write the questions as one deck to `out`; returns how many notes were written."""
    import genanki

    model = genanki.Model(
        stable_id(MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Skills"}, {"name": "Id"}],
        templates=[
            {
                "name": "Recall",
                "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}<br><small>{{Skills}}</small>",
            }
        ],
    )
    deck = genanki.Deck(stable_id(f"deck {deck_name}"), deck_name)
    count = 0
    for q in questions:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[_front(q), _back(q), ", ".join(q.skills), q.id],
                guid=genanki.guid_for("mlpivot", q.id),
                tags=[s.replace(" ", "_") for s in (*q.skills, q.type, q.category)],
            )
        )
        count += 1
    genanki.Package(deck).write_to_file(str(out))
    return count
