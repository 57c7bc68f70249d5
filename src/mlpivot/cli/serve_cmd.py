"""`mlpivot serve`: the web app on localhost."""

from __future__ import annotations

from typing import Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console

WORKER_HEALTHCHECK_SECONDS = 60
"""How long uvicorn's supervisor waits for a worker to answer its ping before it kills the worker
as hung. Its default, 5 s, can be shorter than a busy worker on a small machine takes to run the
thread that answers (2 cores at a load of 10 and more under 200 learners), and a killed worker
drops the requests in flight. A worker that is really hung is still replaced, a minute later."""


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None,
        typer.Option(
            help="Address to bind; keep 127.0.0.1 for one user. "
            "Default: the host setting (MLPIVOT_HOST), 127.0.0.1.",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            help="Port to listen on. Default: the port setting (MLPIVOT_PORT), 8000.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (accounts mode).")] = 1,
) -> None:
    """Start the web app (creating and migrating the database first) and print its URL.

    Single-user mode (the default) has no login and listens on this machine only. It protects
    you from other web sites you visit: they cannot change your data through your browser
    (every change needs mlpivot's own page and its token), frame its pages, or run script in
    them; a foreign Host header is refused. It does not protect you from anyone with a shell
    on this machine: they are you, and can read the data folder or call the app directly. To
    serve several people, use MLPIVOT_AUTH=accounts with MLPIVOT_SECRET_KEY.
    """
    import os

    import uvicorn

    from mlpivot.bootstrap import check_auth_binding

    cli = state(ctx)
    services = cli.services
    host = host or services.settings.host
    port = port or services.settings.port
    check_auth_binding(services.settings, host)
    if cli.knowledge_dir is not None:  # the worker builds its own services from the env
        os.environ["MLPIVOT_KNOWLEDGE_DIR"] = str(cli.knowledge_dir)
    _ = services.engine  # create and migrate before the first request
    _ = services.catalog  # fail now, in plain words, on a broken knowledge overlay
    console.print(f"mlpivot is running at http://{host}:{port}/  (Ctrl+C to stop)")
    if workers == 1:
        # One process: the app is built here, on the services just checked, so the catalog and
        # the database are not opened a second time before the first page.
        from mlpivot.web.app import create_app

        uvicorn.run(create_app(services), host=host, port=port, log_level="warning")
        return
    uvicorn.run(  # each worker process imports the app and builds its own services
        "mlpivot.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
