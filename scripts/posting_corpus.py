"""The role-labelled training documents for the posting classifier and its baselines.

Only what ../shared/data holds that is labelled by role, plus the curated knowledge base:

* data-jobs 2023, TRAIN split (the held-out 20% is never read here): the posting's title and its
  skill list written as "Skills: a, b, c." (the author's class mapped by DATA_JOBS_CLASSES);
* O*NET 29.2: the task statements, alternate and reported titles and hot technologies of the
  occupations in ONET_ROLES (a data scientist is 15-2051.00, a BI analyst 15-2051.01 is none...);
* src/mlpivot/knowledge/roles.yaml: each role's names, title variants, summary, responsibilities
  and skill names (the only source for the roles that data-jobs and O*NET lack: AI engineer,
  MLOps engineer, AI product manager; the software-engineer reference role counts as none).

Labels are our seven target role ids and "none". bench/postings.py trains its TF-IDF + logistic
regression baseline on exactly these documents, so the baseline and the classifier see the same
data.
"""

from __future__ import annotations

import ast
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from mlpivot.catalog import Catalog
from mlpivot.ingest.classify import held_out as classify_held_out
from train_posting_classifier import display_names

ROOT = Path(__file__).resolve().parent.parent
NONE = "none"
SPLIT_SALT = "data-jobs-2023"
HELD_OUT_PERCENT = 20


def default_data() -> Path:
    """$MLPIVOT_SHARED_DATA, else the first shared/data folder above the repository (a git
    worktree sits one level deeper than the main checkout)."""
    if "MLPIVOT_SHARED_DATA" in os.environ:
        return Path(os.environ["MLPIVOT_SHARED_DATA"])
    for up in (ROOT.parent, ROOT.parent.parent):
        if (up / "shared" / "data").is_dir():
            return up / "shared" / "data"
    return ROOT.parent / "shared" / "data"


DATA_JOBS_CLASSES: dict[str, str] = {
    "Data Scientist": "data-scientist",
    "Senior Data Scientist": "data-scientist",
    "Data Engineer": "data-engineer",
    "Senior Data Engineer": "data-engineer",
    "Machine Learning Engineer": "ml-engineer",
    "Software Engineer": NONE,
    "Data Analyst": NONE,
    "Senior Data Analyst": NONE,
    "Business Analyst": NONE,
    "Cloud Engineer": NONE,
}
"""data-jobs' `job_title_short` -> our label (software engineering is our reference role, not a
target: a plain software posting is none of ours)."""

ONET_ROLES: dict[str, str] = {
    "15-2051.00": "data-scientist",  # Data Scientists
    "15-2041.00": "data-scientist",  # Statisticians
    "15-1221.00": "research-scientist",  # Computer and Information Research Scientists
    "15-1243.00": "data-engineer",  # Database Architects
    "15-1243.01": "data-engineer",  # Data Warehousing Specialists
    "15-2051.01": NONE,  # Business Intelligence Analysts
    "15-1211.00": NONE,  # Computer Systems Analysts
    "15-1252.00": NONE,  # Software Developers
    "15-1253.00": NONE,  # Software Quality Assurance Analysts and Testers
    "15-1254.00": NONE,  # Web Developers
    "15-1244.00": NONE,  # Network and Computer Systems Administrators
    "15-1212.00": NONE,  # Information Security Analysts
    "15-1242.00": NONE,  # Database Administrators
    "11-2021.00": NONE,  # Marketing Managers
    "11-2022.00": NONE,  # Sales Managers
    "41-4011.00": NONE,  # Sales Representatives, Technical and Scientific Products
    "41-3091.00": NONE,  # Sales Representatives of Services
    "13-2051.00": NONE,  # Financial and Investment Analysts
    "13-2011.00": NONE,  # Accountants and Auditors
    "13-1071.00": NONE,  # Human Resources Specialists (recruiting)
    "13-1111.00": NONE,  # Management Analysts
    "43-4051.00": NONE,  # Customer Service Representatives
}
"""O*NET occupations whose tasks and titles stand for one label. O*NET has no ML engineer, MLOps,
AI engineer or AI product manager occupation (its ML titles sit under data scientists and
research scientists), so those come from the knowledge base."""


@dataclass(frozen=True)
class Doc:
    title: str
    text: str
    label: str
    source: str


def held_out(row: int, salt: str = SPLIT_SALT, held_out_percent: int = HELD_OUT_PERCENT) -> bool:
    """The classifier's own split rule, with data-jobs' salt and share as defaults."""
    return classify_held_out(row, salt, held_out_percent)


def data_jobs_rows(
    data: Path, catalog: Catalog, *, held: bool
) -> Iterator[tuple[int, str, str, str]]:
    """(row number, title, "Skills: ..." text, label) for the held-out or the TRAIN rows that
    carry a skill list."""
    shown = display_names(catalog)
    path = data / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if held_out(index) != held:
                continue
            raw = row["job_skills"].strip()
            if not raw:
                continue
            skills = list(dict.fromkeys(shown.get(s, s) for s in ast.literal_eval(raw)))
            if not skills:
                continue
            text = "Skills: " + ", ".join(skills) + "."
            yield index, row["job_title"], text, DATA_JOBS_CLASSES[row["job_title_short"]]


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t")


def onet_docs(data: Path) -> list[Doc]:
    onet = data / "onet-29.2"
    out: list[Doc] = []
    for row in _tsv(onet / "Task Statements.txt"):
        label = ONET_ROLES.get(row["O*NET-SOC Code"])
        if label:
            out.append(Doc("", row["Task"], label, "onet-task"))
    for name, column in (
        ("Alternate Titles.txt", "Alternate Title"),
        ("Sample of Reported Titles.txt", "Reported Job Title"),
    ):
        for row in _tsv(onet / name):
            label = ONET_ROLES.get(row["O*NET-SOC Code"])
            if label:
                out.append(Doc(row[column], "", label, "onet-title"))
    hot: dict[str, list[str]] = {}
    for row in _tsv(onet / "Technology Skills.txt"):
        if row["O*NET-SOC Code"] in ONET_ROLES and row["Hot Technology"] == "Y":
            hot.setdefault(row["O*NET-SOC Code"], []).append(row["Example"])
    for code, tools in sorted(hot.items()):
        out.append(Doc("", "Skills: " + ", ".join(tools) + ".", ONET_ROLES[code], "onet-tech"))
    return out


def knowledge_docs(catalog: Catalog) -> list[Doc]:
    out: list[Doc] = []
    raw = yaml.safe_load(
        (ROOT / "src" / "mlpivot" / "knowledge" / "roles.yaml").read_text(encoding="utf-8")
    )["roles"]
    for role in raw:
        label = NONE if role["id"] == "software-engineer" else role["id"]
        for title in [role["name"], *role.get("aliases", []), *role.get("title_variants", [])]:
            out.append(Doc(title, "", label, "roles-title"))
        out.append(Doc("", role["summary"], label, "roles-summary"))
        for line in role.get("responsibilities", []):
            out.append(Doc("", line, label, "roles-task"))
        names = [catalog.skills[s["skill"]].name for s in role["skills"] if s["weight"] >= 0.6]
        out.append(Doc("", "Skills: " + ", ".join(names) + ".", label, "roles-skills"))
    return out


def training_docs(data: Path, catalog: Catalog) -> list[Doc]:
    """Every training document, in a fixed order."""
    jobs = [
        Doc(title, text, label, "data-jobs")
        for _i, title, text, label in data_jobs_rows(data, catalog, held=False)
    ]
    return jobs + onet_docs(data) + knowledge_docs(catalog)
