"""What a command needs from the global options, kept on Click's context (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from mlpivot.bootstrap import Services
    from mlpivot.catalog import Catalog


@dataclass
class CliState:
    knowledge_dir: Path | None = None
    debug: bool = False
    server: str | None = None
    _services: Services | None = field(default=None, repr=False)

    @property
    def services(self) -> Services:
        if self._services is None:
            from mlpivot.bootstrap import build_services
            from mlpivot.config import load_settings

            overrides: dict[str, object] = {}
            if self.knowledge_dir is not None:
                overrides["knowledge_dir"] = self.knowledge_dir
            self._services = build_services(load_settings(**overrides))
        return self._services

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog


def state(ctx: typer.Context) -> CliState:
    """The state of the running command line, created with defaults if the callback did not."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj
