"""What mentors said about the signed-in learner's work (`mlpivot feedback` in a page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mlpivot.store.cohorts import Feedback
from mlpivot.web.auth import UserDep
from mlpivot.web.deps import ServicesDep
from mlpivot.web.templating import templates

router = APIRouter()


@router.get("/feedback", response_class=HTMLResponse)
def feedback_page(request: Request, services: ServicesDep, user: UserDep) -> HTMLResponse:
    with services.unit_of_work() as session:
        feedback = Feedback(session, user).all()
    return templates.TemplateResponse(request, "feedback.html", {"feedback": feedback})
