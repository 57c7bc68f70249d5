"""Interviews and follow-up reminders of the application tracker as iCalendar events.

All-day events: a person books the hour in their own calendar; we only make sure the day is
there. UIDs come from the application's public id and the kind of event, so exporting again
after a change updates the events instead of doubling them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import icalendar

from mlpivot.engine.applications import ApplicationFacts, PracticeSession, Reminder


def applications_to_ics(
    applications: Sequence[ApplicationFacts],
    reminders: Sequence[Reminder],
    today: date,
    practice: Sequence[PracticeSession] = (),
) -> bytes:
    """Every booked interview still ahead, every reminder, and every mock interview still to
    do before one, one all-day VEVENT each."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//mlpivot//applications//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "mlpivot applications")
    stamp = datetime.combine(today, time(0), tzinfo=UTC)
    for app in applications:
        if app.interview_on is None or app.interview_on < today:
            continue
        event = icalendar.Event()
        event.add("uid", f"{app.public_id}-interview-{app.interview_on:%Y%m%d}@mlpivot")
        event.add("dtstamp", stamp)
        event.add("dtstart", app.interview_on)
        event.add("dtend", app.interview_on + timedelta(days=1))
        event.add("summary", f"Interview ({app.stage}): {app.label}")
        event.add("categories", ["interview"])
        cal.add_component(event)
    for reminder in reminders:
        if reminder.kind != "stale":
            continue  # an interview reminder is the interview event above
        day = max(reminder.on, today)
        event = icalendar.Event()
        event.add("uid", f"{reminder.public_id}-follow-up@mlpivot")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"Follow up: {reminder.text}")
        event.add("categories", ["follow-up"])
        cal.add_component(event)
    for mock in practice:
        if mock.done or mock.on < today:
            continue
        event = icalendar.Event()
        event.add("uid", f"{mock.public_id}-mock-{mock.on:%Y%m%d}@mlpivot")
        event.add("dtstamp", stamp)
        event.add("dtstart", mock.on)
        event.add("dtend", mock.on + timedelta(days=1))
        event.add("summary", f"Mock interview ({mock.stage}, {mock.minutes} min): {mock.label}")
        event.add("description", f"Run: {mock.command}")
        event.add("categories", ["mock-interview"])
        cal.add_component(event)
    return bytes(cal.to_ical())
