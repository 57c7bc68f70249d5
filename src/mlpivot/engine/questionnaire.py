"""The questionnaire behind `mlpivot assess` and the web onboarding: about 25 questions.

Questions are values; the terminal and the web ask them in their own way and hand the answers
back to `profile_data_from_answers`, so both front doors build the same profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from mlpivot.catalog import Catalog
from mlpivot.engine.profile import Profile

LEVEL_CHOICES = ("none", "familiar", "working", "strong")
AGREEMENT = ("not at all", "a little", "somewhat", "a lot", "love it")
DOMAINS = (
    "finance",
    "healthcare",
    "retail",
    "e-commerce",
    "transportation",
    "logistics",
    "advertising",
    "security",
    "gaming",
    "energy",
    "insurance",
    "media",
    "telecom",
    "manufacturing",
    "education",
    "government",
)


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    kind: Literal["choice", "number", "text", "multi"]
    choices: tuple[str, ...] = ()
    default: str = ""
    help: str = ""


def questionnaire(catalog: Catalog) -> list[Prompt]:
    """Background, one enjoyment question per interest, then self-ratings of skills."""
    roles = (*(r.id for r in catalog.roles.values()), *catalog.backgrounds)
    prompts = [
        Prompt("current_role", "What is your current role?", "choice", roles, "software-engineer"),
        Prompt(
            "years_experience",
            "How many years have you worked professionally?",
            "number",
            default="3",
        ),
        Prompt(
            "hours_per_week",
            "How many hours a week can you give to learning?",
            "number",
            default="8",
            help="Be honest: a plan you keep beats an ambitious one you drop.",
        ),
        Prompt(
            "country",
            "Which country do you work in (two letters, e.g. GB, US, DE)?",
            "text",
            default="US",
        ),
        Prompt(
            "target_seniority",
            "What level are you aiming for in your first ML role?",
            "choice",
            ("junior", "mid", "senior"),
            "mid",
        ),
        Prompt(
            "maths_background",
            "How far did you take maths?",
            "choice",
            ("school", "undergrad", "masters", "phd"),
            "undergrad",
        ),
        Prompt("domains", "Which industries have you worked in?", "multi", DOMAINS),
    ]
    seen: set[str] = set()
    for question in catalog.questions.values():
        if question.interest.value in seen:
            continue
        seen.add(question.interest.value)
        prompts.append(
            Prompt(
                f"interest:{question.interest.value}",
                question.text,
                "choice",
                AGREEMENT,
                "somewhat",
                question.help,
            )
        )
    prompts.extend(
        Prompt(f"rate:{q.id}", q.text, "choice", LEVEL_CHOICES, "none")
        for q in catalog.skill_questions.values()
    )
    return prompts


def profile_data_from_answers(
    answers: Mapping[str, Any], catalog: Catalog, answered_on: date | None = None
) -> dict[str, Any]:
    """Raw profile data (to check with `profile_from_data`) from the questionnaire's answers.

    Self-ratings are recorded as evidence from "self", dated `answered_on`.
    """
    data: dict[str, Any] = {"interests": {}, "skills": {}}
    for key, value in answers.items():
        if key.startswith("interest:"):
            data["interests"][key.split(":", 1)[1]] = AGREEMENT.index(str(value))
        elif key.startswith("rate:"):
            level = LEVEL_CHOICES.index(str(value))
            # "none" is stored too: an answered none is known, and no floor inferred from
            # years (engine/profile.py inferred_floor) may overrule it
            for skill_id in catalog.skill_questions[key.split(":", 1)[1]].skills:
                data["skills"][skill_id] = {
                    "level": level,
                    "source": "self",
                    "detail": "questionnaire",
                    **({"observed_on": answered_on} if answered_on else {}),
                }
        elif key in ("years_experience", "hours_per_week"):
            data[key] = float(value)
        elif key == "country":
            data[key] = str(value).strip().upper()
        elif key == "domains":
            data[key] = list(value)
        else:
            data[key] = value
    return data


def answers_from_profile(profile: Profile, catalog: Catalog) -> dict[str, Any]:
    """The questionnaire's answers that would give this profile, to pre-fill a form."""
    answers: dict[str, Any] = {
        "current_role": profile.current_role,
        "years_experience": f"{profile.years_experience:g}",
        "hours_per_week": f"{profile.hours_per_week:g}",
        "country": profile.country,
        "target_seniority": profile.target_seniority,
        "maths_background": profile.maths_background,
        "domains": list(profile.domains),
    }
    for interest, value in profile.interests.items():
        answers[f"interest:{interest.value}"] = AGREEMENT[value]
    for question in catalog.skill_questions.values():
        answers[f"rate:{question.id}"] = LEVEL_CHOICES[profile.level(question.skills[0])]
    return answers


def merge_answers(
    stored: Profile | None,
    answers: Mapping[str, Any],
    catalog: Catalog,
    answered_on: date | None = None,
) -> dict[str, Any]:
    """Raw profile data: the stored profile with the questionnaire's answers applied to it.

    The form shows only part of a profile, and the level it shows for a skill may come from a
    resume; saving it must not drop what it does not show (a resume's evidence, skills no
    question asks about, a name, a target date, industries outside its list). So a self-rating
    replaces the earlier self-ratings of its skills only when the person changed the answer
    shown to them; an untouched answer leaves every piece of evidence as it was.
    """
    fresh = profile_data_from_answers(answers, catalog, answered_on)
    if stored is None:
        return {**fresh, "skills": {k: [v] for k, v in fresh["skills"].items()}}
    shown = answers_from_profile(stored, catalog)
    data = stored.model_dump(mode="json", exclude_none=True)
    for key, value in fresh.items():
        if key not in ("skills", "interests", "domains"):
            data[key] = value
    data["interests"] = {**data.get("interests", {}), **fresh["interests"]}
    if "domains" in answers:
        unlisted = [d for d in stored.domains if d not in DOMAINS]
        data["domains"] = sorted({*unlisted, *fresh.get("domains", ())})
    skills: dict[str, list[Any]] = {k: list(v) for k, v in data.get("skills", {}).items()}
    for key, value in answers.items():
        if not key.startswith("rate:") or shown.get(key) == value:
            continue
        for skill_id in catalog.skill_questions[key.split(":", 1)[1]].skills:
            kept = [e for e in skills.get(skill_id, []) if e.get("source") != "self"]
            answered = fresh["skills"].get(skill_id)
            if answered is not None:
                kept.append(answered)
            if kept:
                skills[skill_id] = kept
            else:
                skills.pop(skill_id, None)
    data["skills"] = skills
    return data
