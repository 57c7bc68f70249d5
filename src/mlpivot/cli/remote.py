"""Talking to a remote mlpivot (`mlpivot --server URL`) through its JSON API with a token.

Only the read commands in `REMOTE_COMMANDS` can do so yet (`fit`, `gap --role`, `plan` for the
followed plan, `progress`, `feedback`); every other command, subcommand or option says so in one
sentence and exits 1, rather than quietly use this machine's database. The token comes from
`MLPIVOT_TOKEN` (made on the server's account page), so it never shows in the shell history or
the process list. `--json` prints what the API answered, as it answered it.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, Final

from mlpivot.errors import AuthError, UserError

if TYPE_CHECKING:
    from mlpivot.catalog import Catalog

REMOTE_COMMANDS: Final = frozenset({"feedback", "fit", "gap", "plan", "progress"})
TIMEOUT_SECONDS: Final = 30


def check_remote_command(server: str, command: str | None) -> None:
    if not server.startswith(("http://", "https://")):
        raise UserError(f"--server {server!r} is not a URL like https://mlpivot.example.org")
    if command is not None and command not in REMOTE_COMMANDS:
        raise UserError(
            f"`mlpivot {command}` cannot talk to a server yet (only "
            f"{', '.join(sorted(REMOTE_COMMANDS))} can); run it without --server, or use the "
            "web pages or the JSON API under /api/v1/ of that server"
        )


def _detail(error: urllib.error.HTTPError) -> str:
    """The API's own sentence for an error (its `detail`), else the HTTP reason."""
    try:
        detail = json.loads(error.read().decode("utf-8")).get("detail")
    except (ValueError, AttributeError, OSError):
        detail = None
    return detail if isinstance(detail, str) and detail else str(error.reason)


def refuse_remote(what: str) -> None:
    """One plain sentence (exit 1) for a part of a remote command the API cannot do yet."""
    raise UserError(
        f"{what} cannot talk to a server yet; run it without --server, or use the web pages "
        "or the JSON API under /api/v1/ of that server"
    )


def remote_get(server: str, path: str) -> Any:
    token = os.environ.get("MLPIVOT_TOKEN", "").strip()
    if not token:
        raise AuthError(
            "--server needs an API token in MLPIVOT_TOKEN: make one on the server's account page"
        )
    url = server.rstrip("/") + path
    request = urllib.request.Request(
        url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise AuthError(f"{server} did not accept the token in MLPIVOT_TOKEN") from None
        raise UserError(f"{url} answered {exc.code}: {_detail(exc)}") from None
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        raise UserError(f"could not read {url}: {getattr(exc, 'reason', exc)}") from None


def show_remote_fit(server: str, as_json: bool) -> None:
    from mlpivot.cli.output import bar, console, people_table, print_json

    fits = remote_get(server, "/api/v1/fit")
    if as_json:
        print_json(fits)
        return
    table = people_table(
        f"Roles by fit ({server})",
        [("role", "left"), ("fit", "left"), ("coverage", "right"), ("weeks", "right")],
    )
    for rank, f in enumerate(fits, 1):
        table.add_row(
            f"{rank}. {f['role_name']}",
            bar(float(f["score"]), width=5),
            f"{float(f['coverage']):.0%}",
            f"{float(f['weeks_to_ready']):.0f}",
        )
    console.print(table)
    for f in fits[:3]:
        console.print(f"\n{f['role_name']}: {f['explanation']}", markup=False)


def show_remote_gap(server: str, role: str, as_json: bool) -> None:
    from urllib.parse import quote

    from mlpivot.catalog.models import LEVEL_NAMES
    from mlpivot.cli.output import console, people_table, print_json

    report = remote_get(server, f"/api/v1/gap/{quote(role, safe='')}")
    if as_json:
        print_json(report)
        return
    console.print(f"Gap to {report['role_id']}: {report['summary']}", markup=False)
    items = {i["skill_id"]: i for i in report["items"]}
    table = people_table(
        "In the order to learn",
        [("#", "right"), ("skill", "left"), ("you → needed", "left"), ("hours", "right")],
    )
    for n, skill in enumerate(report["order"], 1):
        item = items[skill]
        table.add_row(
            str(n),
            item["name"],
            f"{LEVEL_NAMES[item['have']]} → {LEVEL_NAMES[item['need']]}",
            f"{float(item['hours']):.0f} h",
        )
    console.print(table)


def show_remote_plan(server: str, catalog: Catalog, as_json: bool) -> None:
    """The plan the person follows on the server, printed as the local `plan` prints one."""
    from mlpivot.cli.output import print_json

    found = remote_get(server, "/api/v1/plan")
    if as_json:
        print_json(found)
        return
    from mlpivot.cli.plan_cmd import print_plan
    from mlpivot.engine.plan_model import Plan

    print_plan(Plan.model_validate(found), catalog, None)


def show_remote_progress(server: str, as_json: bool) -> None:
    from mlpivot.cli.output import console, print_json

    report = remote_get(server, "/api/v1/progress")
    if as_json:
        print_json(report)
        return
    console.print(report["summary"] + ".", markup=False)
    done = ", ".join(report["done_skills"]) or "nothing marked done yet"
    console.print(f"Done: {done}.", markup=False)
    console.print(f"Streak: {report['streak_weeks']} week(s) in a row with study logged.")
    console.print(f"{float(report['percent_complete']):.0%} of the planned hours logged.")
