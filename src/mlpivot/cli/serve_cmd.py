"""`mlpivot serve`: the web app on localhost."""

from __future__ import annotations

from typing import Annotated

import typer

from mlpivot.cli.context import state
from mlpivot.cli.output import console


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to bind; keep 127.0.0.1 for one user.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (accounts mode).")] = 1,
) -> None:
    """Start the web app (creating and migrating the database first) and print its URL."""
    import os

    import uvicorn

    from mlpivot.bootstrap import check_auth_binding

    cli = state(ctx)
    services = cli.services
    check_auth_binding(services.settings, host)
    if cli.knowledge_dir is not None:  # the worker builds its own services from the env
        os.environ["MLPIVOT_KNOWLEDGE_DIR"] = str(cli.knowledge_dir)
    _ = services.engine  # create and migrate before the first request
    _ = services.catalog  # fail now, in plain words, on a broken knowledge overlay
    console.print(f"mlpivot is running at http://{host}:{port}/  (Ctrl+C to stop)")
    if workers == 1:  # serve the services just checked, rather than build them all again
        from mlpivot.web.app import create_app

        uvicorn.run(create_app(services), host=host, port=port, log_level="warning")
        return
    uvicorn.run(
        "mlpivot.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
