"""Derive the committed market figures from the raw public data in ``../shared/data``.

Pure reading and aggregation: the same raw files always give byte-identical JSON (sorted keys,
sorted lists, rounded numbers), so the committed figures can be checked by rebuilding them.
No raw row is written out; only counts, shares and percentiles.

Duplicate policy for the aijobs.net file: rows identical in all eleven columns are counted once
(about 35k distinct of 74k). The columns are coarse, so two identical rows *may* be two people,
but one submission repeated is the likelier reading; every cell also carries the row count and
median with duplicates kept, so the effect of the policy is visible.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mlpivot.catalog.market import (
    AIJOBS_FILE,
    BLS_FILE,
    CITATIONS_FILE,
    DATA_JOBS_FILE,
    FIGURES_DIR,
    ONET_FILE,
    SO_SURVEY_FILE,
    THIN_CELL_ROWS,
    AijobsFigures,
    BlsFigures,
    DataJobsFigures,
    NameCount,
    OnetFigures,
    OnetOccupation,
    PayCell,
    Percentiles,
    PostedPayCell,
    RoleRows,
    SkillDemand,
    SocLink,
    SurveyFigures,
    SurveyRole,
    Technology,
    WageEstimate,
    WagePercentiles,
)

BLS_TOP_CODE_USD = 239_200
"""The annual wage BLS has capped published OEWS percentiles at (footnote code 5)."""
SHARE_DIGITS = 4
ODBL_NOTICE = (
    "Figures in this file are derived from the Stack Overflow Annual Developer Survey 2024, "
    "made available under the Open Database License (ODbL 1.0): "
    "https://opendatacommons.org/licenses/odbl/1-0/ . This file is a derived database under "
    "the same licence: you may share and adapt it if you attribute Stack Overflow and keep "
    "any adapted version under the ODbL."
)


@dataclass(frozen=True)
class Mappings:
    """The hand-written YAML beside the figures: which titles and names mean what."""

    title_roles: Mapping[str, Any]
    skill_names: Mapping[str, str | None]
    countries: Mapping[str, str | None]

    def aijobs_role(self) -> dict[str, str]:
        return {t: role for role, titles in self.title_roles["aijobs"].items() for t in titles}

    def skill_for(self, name: str) -> tuple[bool, str | None]:
        """(known, skill id); known-but-None means a name we deliberately do not track."""
        key = name.strip().lower()
        return (key in self.skill_names, self.skill_names.get(key))


@dataclass
class BuildReport:
    """What the rebuild could not place, so the mappings can grow."""

    unmapped: dict[str, list[NameCount]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_mappings(figures_dir: Path) -> Mappings:
    def read(name: str) -> Any:
        return yaml.safe_load((figures_dir / name).read_text(encoding="utf-8"))

    names = read("skill_names.yaml")["names"]
    return Mappings(
        title_roles=read("title_roles.yaml"),
        skill_names={str(k).lower(): v for k, v in names.items()},
        countries=read("countries.yaml"),
    )


def percentiles(values: list[float]) -> Percentiles | None:
    """Linear-interpolation percentiles in whole dollars; None for a thin cell."""
    if len(values) < THIN_CELL_ROWS:
        return None
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return Percentiles(
        p10=round(cuts[1]),
        p25=round(cuts[4]),
        p50=round(statistics.median(values)),
        p75=round(cuts[14]),
        p90=round(cuts[17]),
    )


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _counts(counter: Counter[str]) -> tuple[NameCount, ...]:
    return tuple(NameCount(name=n, rows=c) for n, c in sorted(counter.items()))


def _share(count: int, total: int) -> float:
    return round(count / total, SHARE_DIGITS) if total else 0.0


# --- aijobs.net salary index ------------------------------------------------------------------


def build_aijobs(data_dir: Path, maps: Mappings) -> AijobsFigures:
    rows = list(_read_csv(data_dir / "aijobs-salaries" / "salaries.csv"))
    distinct = list(dict.fromkeys(tuple(r.values()) for r in rows))
    columns = list(rows[0].keys())
    title_role = maps.aijobs_role()
    levels: dict[str, str] = maps.title_roles["aijobs_levels"]
    unmapped: Counter[str] = Counter()

    def pooled(records: Iterable[dict[str, str]]) -> dict[tuple[Any, ...], list[float]]:
        cells: dict[tuple[Any, ...], list[float]] = defaultdict(list)
        for r in records:
            role = title_role.get(r["job_title"])
            if role is None:
                continue
            pay = float(r["salary_in_usd"])
            for level in (levels[r["experience_level"]], None):
                for country in (r["employee_residence"], None):
                    for year in (int(r["work_year"]), None):
                        cells[(role, level, country, year)].append(pay)
        return cells

    distinct_rows = [dict(zip(columns, values, strict=True)) for values in distinct]
    unmapped.update(r["job_title"] for r in distinct_rows if r["job_title"] not in title_role)
    dedup, with_dups = pooled(distinct_rows), pooled(rows)
    cells = tuple(
        PayCell(
            role_id=key[0],
            level=key[1],
            country=key[2],
            year=key[3],
            n=len(values),
            pay_usd=percentiles(values),
            n_with_duplicates=len(with_dups[key]),
            median_usd_with_duplicates=(
                round(statistics.median(with_dups[key]))
                if len(with_dups[key]) >= THIN_CELL_ROWS
                else None
            ),
        )
        for key, values in sorted(dedup.items(), key=lambda kv: _cell_sort_key(kv[0]))
    )
    return AijobsFigures(
        duplicate_policy=(
            "Rows identical in all 11 columns are counted once; n_with_duplicates and "
            "median_usd_with_duplicates show each cell with every row kept."
        ),
        rows_total=len(rows),
        rows_distinct=len(distinct),
        levels=levels,
        cells=cells,
        role_rows=_role_rows(distinct_rows, title_role),
        unmapped_titles=_counts(unmapped),
    )


def _cell_sort_key(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple("" if part is None else str(part) for part in key)


def _role_rows(rows: list[dict[str, str]], title_role: Mapping[str, str]) -> tuple[RoleRows, ...]:
    """Each role's share of all distinct rows, overall and per year: a rough demand signal."""
    totals: Counter[int | None] = Counter()
    per_role: Counter[tuple[str, int | None]] = Counter()
    for r in rows:
        year = int(r["work_year"])
        totals.update([year, None])
        role = title_role.get(r["job_title"])
        if role:
            per_role.update([(role, year), (role, None)])
    return tuple(
        RoleRows(role_id=role, year=year, rows=n, share=_share(n, totals[year]))
        for (role, year), n in sorted(per_role.items(), key=lambda kv: _cell_sort_key(kv[0]))
    )


# --- data_jobs 2023 postings ------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    name: str
    basis: str
    role_id: str
    senior: bool | None


def build_data_jobs(data_dir: Path, maps: Mappings) -> DataJobsFigures:
    rows = list(_read_csv(data_dir / "data-jobs-2023-salaried" / "data_jobs_salary_all.csv"))
    classes: Mapping[str, Any] = maps.title_roles["data_jobs_classes"]
    patterns = {
        role: re.compile(p, re.IGNORECASE)
        for role, p in maps.title_roles["data_jobs_title_patterns"].items()
    }
    pay: dict[tuple[_Group, str | None], list[float]] = defaultdict(list)
    tools: dict[_Group, list[list[str]]] = defaultdict(list)
    postings: Counter[_Group] = Counter()
    unmapped_tools: Counter[str] = Counter()
    unmapped_countries: Counter[str] = Counter()
    left_out = 0
    for r in rows:
        groups = _groups_of(r, classes, patterns)
        names = sorted(set(ast.literal_eval(r["job_skills"]))) if r["job_skills"] else []
        unmapped_tools.update(n for n in names if not maps.skill_for(n)[0])
        country = maps.countries.get(r["job_country"])
        if r["job_country"] not in maps.countries:
            unmapped_countries[r["job_country"]] += 1
        if country is None:
            left_out += 1
        for group in groups:
            postings[group] += 1
            if names:
                tools[group].append(names)
            if r["salary_rate"] == "year":
                salary = float(r["salary_year_avg"])
                pay[(group, None)].append(salary)
                if country:
                    pay[(group, country)].append(salary)
    pay_cells = tuple(
        PostedPayCell(
            group=g.name,
            role_id=g.role_id,
            senior=g.senior,
            country=country,
            n=len(values),
            pay_usd=percentiles(values),
        )
        for (g, country), values in sorted(
            pay.items(), key=lambda kv: (kv[0][0].name, kv[0][1] or "")
        )
        if g.basis != "title-pattern"
    )
    demand = tuple(
        _demand(g, postings[g], tools[g], maps) for g in sorted(postings, key=lambda g: g.name)
    )
    return DataJobsFigures(
        rows_total=len(rows),
        yearly_rows=sum(1 for r in rows if r["salary_rate"] == "year"),
        hourly_rows_left_out=sum(1 for r in rows if r["salary_rate"] == "hour"),
        rows_left_out_of_country_figures=left_out,
        pay=pay_cells,
        demand=demand,
        class_counts=_counts(Counter(r["job_title_short"] for r in rows)),
        unmapped_tools=_counts(unmapped_tools),
        unmapped_countries=_counts(unmapped_countries),
    )


def _groups_of(
    row: Mapping[str, str], classes: Mapping[str, Any], patterns: Mapping[str, re.Pattern[str]]
) -> list[_Group]:
    """A posting counts for its class, for its class's role, and for any title pattern."""
    groups: list[_Group] = []
    label = row["job_title_short"]
    entry = classes.get(label)
    if entry:
        groups.append(_Group(label, "class", entry["role"], entry["senior"]))
        groups.append(_Group(f"all {entry['role']} classes", "role", entry["role"], None))
    for role, pattern in patterns.items():
        if pattern.search(row["job_title"]):
            groups.append(_Group(f"title matches {role}", "title-pattern", role, None))
    return groups


def _demand(group: _Group, postings: int, lists: list[list[str]], maps: Mappings) -> SkillDemand:
    tool_counts: Counter[str] = Counter()
    skill_counts: Counter[str] = Counter()
    for names in lists:
        tool_counts.update(names)
        skill_counts.update({s for n in names if (s := maps.skill_for(n)[1])})
    size = len(lists)
    return SkillDemand(
        group=group.name,
        basis=group.basis,
        role_id=group.role_id,
        senior=group.senior,
        postings=postings,
        sample_size=size,
        skill_shares={s: _share(c, size) for s, c in sorted(skill_counts.items())},
        tool_shares={t: _share(c, size) for t, c in sorted(tool_counts.items())},
    )


# --- BLS OEWS ---------------------------------------------------------------------------------

_WAGE_COLUMNS = {
    "p10": "annual_p10",
    "p25": "annual_p25",
    "p50": "annual_median",
    "p75": "annual_p75",
    "p90": "annual_p90",
}
_BLS_FILES = {
    "national": "oews_national_all_occupations.csv",
    "state": "oews_states_computer_math_15xxxx.csv",
    "metro": "oews_metros_computer_math_15xxxx.csv",
}


def _bls_number(text: str) -> int | None:
    """BLS writes '-' for a withheld value and '#' for a top-coded one; both become None."""
    cleaned = text.replace(",", "").strip()
    if not cleaned or cleaned in {"-", "#", "*", "**"}:
        return None
    return round(float(cleaned))


def _topcoded(row: Mapping[str, str]) -> tuple[str, ...]:
    marked = {part.split(":")[0] for part in row["footnotes"].split(";") if part.endswith(":5")}
    return tuple(
        key for key, col in _WAGE_COLUMNS.items() if row[col].strip() == "#" or col in marked
    )


def build_bls(data_dir: Path, maps: Mappings) -> BlsFigures:
    links = tuple(
        SocLink(role_id=e["role"], soc_code=e["soc"], fit=e["fit"], note=e["note"])
        for e in maps.title_roles["soc"]
    )
    wanted = {link.soc_code for link in links}
    estimates: list[WageEstimate] = []
    topcoded_cells = at_or_above = 0
    for area_type, name in _BLS_FILES.items():
        for row in _read_csv(data_dir / "bls-oews-2025" / name):
            marks = _topcoded(row)
            topcoded_cells += len(marks)
            values = {key: _bls_number(row[col]) for key, col in _WAGE_COLUMNS.items()}
            at_or_above += sum(
                1 for v in values.values() if v is not None and v >= BLS_TOP_CODE_USD
            )
            if row["soc_code"] not in wanted:
                continue
            estimates.append(
                WageEstimate(
                    area_type=area_type,
                    area_code=row["area_code"],
                    area_name=row["area_name"],
                    soc_code=row["soc_code"],
                    occupation=row["occupation_name"],
                    employment=_bls_number(row["employment"]),
                    annual_mean_usd=_bls_number(row["annual_mean"]),
                    annual_usd=(
                        None
                        if all(v is None for v in values.values())
                        else WagePercentiles(**values)
                    ),
                    topcoded=marks,
                    footnotes=row["footnotes"],
                )
            )
    return BlsFigures(
        release="May 2025",
        year=2025,
        top_code_usd=BLS_TOP_CODE_USD,
        topcoded_cells=topcoded_cells,
        cells_at_or_above_top_code=at_or_above,
        top_code_note=_top_code_note(topcoded_cells, at_or_above),
        links=links,
        estimates=tuple(sorted(estimates, key=lambda e: (e.soc_code, e.area_type, e.area_code))),
    )


def _top_code_note(topcoded: int, above: int) -> str:
    if topcoded:
        return (
            f"BLS top-codes annual wages at ${BLS_TOP_CODE_USD:,}: {topcoded} percentile "
            "values in this release are only known to be at least that, and are shown as such."
        )
    return (
        f"BLS has published OEWS wages top-coded at ${BLS_TOP_CODE_USD:,} (footnote 5) in "
        f"earlier releases. This May 2025 file marks no value as top-coded and reports {above} "
        f"percentile values at or above ${BLS_TOP_CODE_USD:,}, so its upper percentiles are "
        "printed as published; compare with older figures with care."
    )


# --- O*NET technology skills ------------------------------------------------------------------


def build_onet(data_dir: Path, maps: Mappings) -> OnetFigures:
    wanted: Mapping[str, list[str]] = maps.title_roles["onet"]
    titles = {
        r["O*NET-SOC Code"]: r["Title"]
        for r in _read_tsv(data_dir / "onet-29.2" / "Occupation Data.txt")
    }
    techs: dict[str, dict[str, Technology]] = defaultdict(dict)
    unmapped: Counter[str] = Counter()
    for r in _read_tsv(data_dir / "onet-29.2" / "Technology Skills.txt"):
        code = r["O*NET-SOC Code"]
        if code not in wanted:
            continue
        name = r["Example"]
        known, skill = maps.skill_for(name)
        if not known:
            unmapped[name] += 1
        earlier = techs[code].get(name)
        techs[code][name] = Technology(
            name=name,
            commodity=r["Commodity Title"],
            hot=r["Hot Technology"] == "Y" or bool(earlier and earlier.hot),
            in_demand=r["In Demand"] == "Y" or bool(earlier and earlier.in_demand),
            skill_id=skill,
        )
    occupations = tuple(
        OnetOccupation(
            code=code,
            title=titles.get(code, code),
            role_ids=tuple(wanted[code]),
            technologies=tuple(techs[code][n] for n in sorted(techs[code])),
        )
        for code in sorted(wanted)
    )
    return OnetFigures(version="29.2", occupations=occupations, unmapped_names=_counts(unmapped))


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


# --- Stack Overflow survey 2024 ---------------------------------------------------------------

SO_TOOL_COLUMNS = (
    "LanguageHaveWorkedWith",
    "DatabaseHaveWorkedWith",
    "PlatformHaveWorkedWith",
    "WebframeHaveWorkedWith",
    "MiscTechHaveWorkedWith",
    "ToolsTechHaveWorkedWith",
    "AISearchDevHaveWorkedWith",
)


def build_so_survey(data_dir: Path, maps: Mappings) -> SurveyFigures:
    dev_roles: Mapping[str, str | None] = maps.title_roles["so_survey_dev_types"]
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _read_csv(data_dir / "so-survey-2024-data-roles" / "stack_overflow_jobs.csv"):
        by_type[r["DevType"]].append(r)
    unmapped: Counter[str] = Counter()
    roles: list[SurveyRole] = []
    for dev_type in sorted(by_type):
        people = by_type[dev_type]
        tool_counts: Counter[str] = Counter()
        skill_counts: Counter[str] = Counter()
        for person in people:
            names = _survey_names(person)
            tool_counts.update(names)
            unmapped.update(n for n in names if not maps.skill_for(n)[0])
            skill_counts.update({s for n in names if (s := maps.skill_for(n)[1])})
        pay = [float(p["ConvertedCompYearly"]) for p in people if p["ConvertedCompYearly"] != "NA"]
        roles.append(
            SurveyRole(
                dev_type=dev_type,
                role_id=dev_roles.get(dev_type),
                respondents=len(people),
                pay_usd=percentiles(pay),
                skill_shares={s: _share(c, len(people)) for s, c in sorted(skill_counts.items())},
                tool_shares={t: _share(c, len(people)) for t, c in sorted(tool_counts.items())},
            )
        )
    return SurveyFigures(
        odbl_notice=ODBL_NOTICE, year=2024, roles=tuple(roles), unmapped_names=_counts(unmapped)
    )


def _survey_names(person: Mapping[str, str]) -> set[str]:
    return {
        name.strip()
        for column in SO_TOOL_COLUMNS
        if person[column] not in ("NA", "")
        for name in person[column].split(";")
        if name.strip()
    }


# --- citations and writing --------------------------------------------------------------------


def build_citations(figures_dir: Path) -> dict[str, Any]:
    def read(name: str) -> Any:
        return yaml.safe_load((figures_dir / name).read_text(encoding="utf-8"))

    return {"sources": read("sources.yaml")["sources"], "quoted": read("quoted_pay.yaml")["quoted"]}


def render_json(value: Any) -> str:
    """One fixed rendering, so a rebuild is byte-for-byte comparable with the committed file."""
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def build_market_files(data_dir: Path, figures_dir: Path) -> tuple[dict[str, str], BuildReport]:
    """Every derived file's name and text; ``figures_dir`` supplies the hand-written mappings."""
    maps = load_mappings(figures_dir)
    aijobs = build_aijobs(data_dir, maps)
    data_jobs = build_data_jobs(data_dir, maps)
    onet = build_onet(data_dir, maps)
    survey = build_so_survey(data_dir, maps)
    bls = build_bls(data_dir, maps)
    report = BuildReport(
        unmapped={
            "aijobs job titles": list(aijobs.unmapped_titles),
            "data_jobs tools": list(data_jobs.unmapped_tools),
            "data_jobs countries": list(data_jobs.unmapped_countries),
            "O*NET technology names": list(onet.unmapped_names),
            "Stack Overflow survey names": list(survey.unmapped_names),
        },
        notes=[
            f"aijobs: {aijobs.rows_total} rows, {aijobs.rows_distinct} distinct (policy: "
            "identical rows counted once)",
            f"data_jobs: {data_jobs.yearly_rows} yearly-pay postings used for pay, "
            f"{data_jobs.hourly_rows_left_out} hourly left out",
            bls.top_code_note,
        ],
    )
    files = {
        AIJOBS_FILE: render_json(aijobs.model_dump(mode="json")),
        DATA_JOBS_FILE: render_json(data_jobs.model_dump(mode="json")),
        BLS_FILE: render_json(bls.model_dump(mode="json")),
        ONET_FILE: render_json(onet.model_dump(mode="json")),
        SO_SURVEY_FILE: render_json(survey.model_dump(mode="json")),
        CITATIONS_FILE: render_json(build_citations(figures_dir)),
    }
    return files, report


def write_market_files(
    data_dir: Path, out_dir: Path, mappings_dir: Path | None = None
) -> BuildReport:
    """Rebuild into ``out_dir``; the mappings come from the package's figures folder by default."""
    files, report = build_market_files(data_dir, mappings_dir or FIGURES_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
    return report
