"""Talking to a remote mlpivot (`mlpivot --server URL`) through its JSON API with a token.

Only commands listed in `REMOTE_COMMANDS` can do so yet; the others say so plainly rather than
quietly use this machine's database. The token comes from `MLPIVOT_TOKEN` (made on the
server's account page), so it never shows in the shell history or the process list.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any, Final

from mlpivot.errors import AuthError, UserError

REMOTE_COMMANDS: Final = frozenset({"feedback"})
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
        raise UserError(f"{url} answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as exc:
        raise UserError(f"could not read {url}: {getattr(exc, 'reason', exc)}") from None
