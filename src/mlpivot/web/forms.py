"""The "About you" form read field by field: every answer kept as typed, every error by its field.

The limits are not written here: they are the `Profile` model's own (its fields' `ge`/`le`/
`max_length` and its validators), read from the model's metadata for the form's `min`, `max` and
`maxlength`, and from its `ValidationError` for the messages, so a limit changed in the model
changes the form and its messages with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import ValidationError
from starlette.datastructures import FormData

from mlpivot.catalog import Catalog
from mlpivot.engine.profile import Profile
from mlpivot.engine.questionnaire import Prompt, merge_answers

RANGE_ERRORS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})
FIELD_LABELS = {
    "years_experience": "Years worked",
    "hours_per_week": "Hours a week",
    "country": "Country",
    "current_role": "Current role",
}


@dataclass(frozen=True)
class FieldLimits:
    """What the model allows for one field, as HTML attributes want it."""

    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    minlength: int | None = None
    maxlength: int | None = None
    unit: str = ""

    def describe(self) -> str:
        """The allowed range in words, e.g. "from 0 to 80" or "more than 0 and at most 80"."""
        if self.min is not None and self.max is not None:
            if not (self.min_exclusive or self.max_exclusive):
                return f"from {self.min:g} to {self.max:g}"
            low = f"more than {self.min:g}" if self.min_exclusive else f"at least {self.min:g}"
            high = f"less than {self.max:g}" if self.max_exclusive else f"at most {self.max:g}"
            return f"{low} and {high}"
        if self.min is not None:
            return f"more than {self.min:g}" if self.min_exclusive else f"at least {self.min:g}"
        if self.max is not None:
            return f"less than {self.max:g}" if self.max_exclusive else f"at most {self.max:g}"
        return "a number"

    def allows(self, value: float) -> bool:
        if self.min is not None and (value <= self.min if self.min_exclusive else value < self.min):
            return False
        return not (
            self.max is not None and (value >= self.max if self.max_exclusive else value > self.max)
        )


def field_limits(name: str) -> FieldLimits:
    """The limits the `Profile` model puts on one field (none for a field it does not bound)."""
    info = Profile.model_fields.get(name)
    if info is None:
        return FieldLimits()
    found: dict[str, Any] = {}
    for item in info.metadata:
        if isinstance(item, Ge):
            found["min"] = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, Gt):
            found.update(min=float(item.gt), min_exclusive=True)  # type: ignore[arg-type]
        elif isinstance(item, Le):
            found["max"] = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, Lt):
            found.update(max=float(item.lt), max_exclusive=True)  # type: ignore[arg-type]
        elif isinstance(item, MaxLen):
            found["maxlength"] = item.max_length
        elif isinstance(item, MinLen):
            found["minlength"] = item.min_length
    return FieldLimits(**found)


def form_limits(prompts: list[Prompt]) -> dict[str, FieldLimits]:
    return {p.id: field_limits(p.id) for p in prompts}


@dataclass
class ProfileForm:
    """What the person sent: their answers as typed (to show again), errors by field id."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    profile: Profile | None = None


def _label(prompt: Prompt) -> str:
    return FIELD_LABELS.get(prompt.id, "This answer")


def read_profile_form(
    form: FormData,
    prompts: list[Prompt],
    stored: Profile | None,
    catalog: Catalog,
    today: date,
) -> ProfileForm:
    """Check every field of the posted form; a profile only when every field is right.

    A field the form did not send takes its default (an older page, a script posting only some
    fields); a field sent with a value that is not allowed is an error, never a guess.
    """
    result = ProfileForm()
    for prompt in prompts:
        if prompt.kind == "multi":
            values = [str(v) for v in form.getlist(prompt.id)]
            unknown = [v for v in values if v not in prompt.choices]
            result.answers[prompt.id] = [v for v in values if v in prompt.choices]
            if unknown:
                result.errors[prompt.id] = (
                    f"'{unknown[0][:40]}' is not one of the choices; tick the ones that apply"
                )
            continue
        raw = form.get(prompt.id)
        text = prompt.default if raw is None else str(raw)
        result.answers[prompt.id] = text
        if prompt.kind == "choice":
            if text not in prompt.choices and not (stored and text == _current(stored, prompt)):
                result.errors[prompt.id] = (
                    f"'{text[:40]}' is not one of the choices; pick one from the list"
                )
        elif prompt.kind == "number":
            limits = field_limits(prompt.id)
            try:
                number = float(text.strip())
            except ValueError:
                number = math.nan
            if not text.strip():
                result.errors[prompt.id] = (
                    f"{_label(prompt)} is required: enter a number {limits.describe()}"
                )
            elif not math.isfinite(number):
                result.errors[prompt.id] = (
                    f"'{text[:40]}' is not a number: enter a number {limits.describe()}"
                )
            elif not limits.allows(number):
                result.errors[prompt.id] = (
                    f"{_label(prompt)} must be {limits.describe()}, not {number:g}"
                )
        else:
            limits = field_limits(prompt.id)
            if limits.maxlength is not None and len(text) > limits.maxlength:
                result.errors[prompt.id] = (
                    f"{_label(prompt)} takes at most {limits.maxlength} characters "
                    f"(you gave {len(text)})"
                )
    if result.errors:
        return result
    data = merge_answers(stored, result.answers, catalog, today)
    try:
        result.profile = Profile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = [str(p) for p in error["loc"]]
            key = f"interest:{loc[1]}" if loc[:1] == ["interests"] and len(loc) > 1 else loc[0]
            if key not in result.answers:
                key = "form"
            limits = field_limits(loc[0])
            if error["type"] in (
                "greater_than",
                "greater_than_equal",
                "less_than",
                "less_than_equal",
            ):
                message = f"must be {limits.describe()}"
            else:
                message = str(error["msg"]).removeprefix("Value error, ")
            result.errors.setdefault(key, message)
    return result


def _current(stored: Profile, prompt: Prompt) -> str:
    """A stored answer the list does not offer (a current role typed on the command line) is
    shown as an extra choice, and sending it back is not an error."""
    value = getattr(stored, prompt.id, None)
    return value if isinstance(value, str) else ""


def choices_with_current(prompts: list[Prompt], stored: Profile | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for prompt in prompts:
        choices = list(prompt.choices)
        current = _current(stored, prompt) if stored else ""
        if prompt.kind == "choice" and current and current not in choices:
            choices.insert(0, current)
        out[prompt.id] = choices
    return out


def choice_labels(catalog: Catalog, choices: dict[str, list[str]]) -> dict[str, str]:
    """What a person reads for each choice: a role's name, not its id ("ML Engineer", not
    "ml-engineer"); other values as words."""
    labels: dict[str, str] = {}
    for values in choices.values():
        for value in values:
            role = catalog.roles.get(value)
            labels[value] = role.name if role else value.replace("-", " ").capitalize()
    return labels
