"""A resume against a job posting in the browser: `mlpivot match` as a form and a page.

Nothing is stored: the resume (uploaded, or the one given to mlpivot before) and the posting
(pasted or uploaded) are read, compared and shown. A file that cannot be read is named next to
its field, and what was pasted stays in the form.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from mlpivot.errors import MlpivotError, UserError
from mlpivot.store.accounts import Account
from mlpivot.store.repositories import Documents
from mlpivot.web.auth import UserDep
from mlpivot.web.deps import ServicesDep, TodayDep
from mlpivot.web.templating import templates

if TYPE_CHECKING:  # the readers (document parsers, the matcher) load with the first match
    from mlpivot.ingest.match import MatchReport, SkillMatch
    from mlpivot.ingest.posting import Posting
    from mlpivot.ingest.resume import Resume

router = APIRouter()

MAX_PASTED_CHARS = 100_000
"""a pasted posting: real ones are under 20,000 characters; a longer paste is a whole web page"""

WHERE_WORDS = {"used": "shown in use", "listed": "listed only", None: "not on your resume"}


@dataclass(frozen=True)
class StoredResume:
    filename: str
    resume: Resume | None


def _stored_resume(services: ServicesDep, user: Account) -> StoredResume | None:
    """The resume last given to mlpivot (`import resume` or the onboarding), read back."""
    with services.owned(user.id) as (session, owner):
        row = Documents(session, owner).latest("resume")
        if row is None:
            return None
        filename, text, parsed = row.filename, row.text, dict(row.parsed or {})
    from mlpivot.ingest.resume import Resume

    try:
        return StoredResume(filename, Resume.model_validate({**parsed, "text": text}))
    except ValidationError:
        return StoredResume(filename, None)  # stored by an older mlpivot: upload it again


def _page(
    request: Request,
    stored: StoredResume | None,
    *,
    typed: str = "",
    use_stored: bool = True,
    errors: dict[str, str] | None = None,
    report: MatchReport | None = None,
    names: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    from mlpivot.ingest.match import LISTED_CREDIT

    rows: dict[str, list[SkillMatch]] = {"required": [], "nice": []}
    if report is not None:
        for m in (*report.shown, *report.missing):
            rows[m.need].append(m)
    return templates.TemplateResponse(
        request,
        "match.html",
        {
            "stored": stored if stored and stored.resume else None,
            "typed": typed,
            "use_stored": use_stored,
            "errors": errors or {},
            "report": report,
            "rows": rows,
            "names": names or {},
            "where_words": WHERE_WORDS,
            "listed_credit": LISTED_CREDIT,
            "max_chars": MAX_PASTED_CHARS,
        },
        status_code=status,
    )


@router.get("/match", response_class=HTMLResponse)
def match_form(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    return _page(request, _stored_resume(services, user))


async def _read_resume(
    form: FormData, stored: StoredResume | None, limit: int, services: ServicesDep, today: date
) -> Resume:
    from mlpivot.ingest.resume import parse_resume

    upload = form.get("resume")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(limit + 1)
        if len(raw) > limit:
            raise UserError(f"{upload.filename}: the file is larger than {limit // 2**20} MB")
        return parse_resume(
            raw, upload.filename, catalog=services.catalog, today=today, max_bytes=limit
        )
    if form.get("use_stored") is not None and stored is not None and stored.resume is not None:
        return stored.resume
    also = ", or tick the one you gave mlpivot" if stored else ""
    raise UserError(f"choose your resume file{also}")


async def _read_posting(form: FormData, typed: str, limit: int, services: ServicesDep) -> Posting:
    from mlpivot.ingest.posting import parse_posting

    upload = form.get("posting_file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(limit + 1)
        if len(raw) > limit:
            raise UserError(f"{upload.filename}: the file is larger than {limit // 2**20} MB")
        # the CLI's own reader takes a file: the upload goes through it under its own suffix
        suffix = Path(upload.filename).suffix.lower()[:10]
        with tempfile.TemporaryDirectory(prefix="mlpivot-posting-") as folder:
            path = Path(folder) / f"posting{suffix}"
            path.write_bytes(raw)
            return parse_posting(path, services.catalog, name=upload.filename)
    if not typed.strip():
        raise UserError("paste the posting's text here, or choose its file")
    if len(typed) > MAX_PASTED_CHARS:
        raise UserError(
            f"the pasted text is {len(typed):,} characters, over the {MAX_PASTED_CHARS:,} a "
            "posting needs; paste only the posting itself"
        )
    return parse_posting(typed, services.catalog)


def _sentence(exc: MlpivotError) -> str:
    """The error as a sentence under its field; a message led by a file name keeps its case."""
    text = str(exc).rstrip(".")
    if text[:1].islower() and ":" not in text.split(" ", 1)[0]:
        text = text[:1].upper() + text[1:]
    return text + "."


@router.post("/match", response_class=HTMLResponse)
async def match_posting(
    request: Request, services: ServicesDep, user: UserDep, today: TodayDep
) -> HTMLResponse:
    form = await request.form()
    stored = _stored_resume(services, user)
    limit = services.settings.max_upload_bytes
    raw_text: Any = form.get("posting_text", "")
    typed = raw_text if isinstance(raw_text, str) else ""
    use_stored = form.get("use_stored") is not None
    errors: dict[str, str] = {}
    resume: Resume | None = None
    posting: Posting | None = None
    try:
        resume = await _read_resume(form, stored, limit, services, today)
    except MlpivotError as exc:
        errors["resume"] = _sentence(exc)
    try:
        posting = await _read_posting(form, typed, limit, services)
    except MlpivotError as exc:
        errors["posting"] = _sentence(exc)
    if resume is None or posting is None:
        return _page(
            request,
            stored,
            typed=typed[:MAX_PASTED_CHARS],
            use_stored=use_stored,
            errors=errors,
            status=400,
        )
    if not posting.skills:
        errors["posting"] = (
            "No skill mlpivot knows was found in this posting, so there is nothing to match; "
            "is it the whole posting?"
        )
        return _page(request, stored, typed=typed, use_stored=use_stored, errors=errors, status=400)
    from mlpivot.ingest.match import match_resume

    report = match_resume(resume, posting, services.catalog)
    names = {sid: s.name for sid, s in services.catalog.skills.items()}
    return _page(request, stored, typed=typed, use_stored=use_stored, report=report, names=names)
