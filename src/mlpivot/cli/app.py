"""The `mlpivot` command: a Typer app with one module per command group."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperCommand, TyperGroup

from mlpivot import __version__
from mlpivot.cli.context import state
from mlpivot.errors import CatalogError, MlpivotError

MARKUP: Literal["markdown"] = "markdown"


def _module(name: str) -> Any:
    return import_module(f"mlpivot.cli.{name}")


def _register_import(app: typer.Typer) -> None:
    import_cmd = _module("import_cmd")
    import_cmd.register(app)
    _module("posting_cmd").register_posting(import_cmd.import_app)
    _module("account_cmd").register_import_data(import_cmd.import_app)


def _register_export(app: typer.Typer) -> None:
    export_cmd = _module("export_cmd")
    export_cmd.register(app)
    _module("account_cmd").register_export_data(export_cmd.export_app)


def _register_market(app: typer.Typer) -> None:
    app.add_typer(_module("market").app, name="market")


def _register_catalog(app: typer.Typer) -> None:
    app.add_typer(_module("catalog_cmd").app, name="catalog")


Register = Callable[[typer.Typer], None]

SECTIONS: dict[str, tuple[tuple[str, ...], Register]] = {
    "assess": (("assess",), lambda app: _module("assess_cmd").register(app)),
    "fit": (("fit", "gap", "reach"), lambda app: _module("fit_cmd").register(app)),
    "plan": (("plan", "progress"), lambda app: _module("plan_cmd").register(app)),
    "quiz": (("quiz",), lambda app: _module("quiz_cmd").register(app)),
    "interview": (("interview",), lambda app: _module("interview_cmd").register(app)),
    "summary": (("summary",), lambda app: _module("summary_cmd").register(app)),
    "import": (("import",), _register_import),
    "posting": (("posting",), lambda app: _module("posting_cmd").register_posting_group(app)),
    "apply": (("apply",), lambda app: _module("apply_cmd").register(app)),
    "match": (("match", "classify"), lambda app: _module("match_cmd").register(app)),
    "resume": (("resume",), lambda app: _module("resume_cmd").register(app)),
    "extract": (("extract",), lambda app: _module("extract_cmd").register(app)),
    "market": (("market",), _register_market),
    "export": (("export",), _register_export),
    "account": (("delete-account",), lambda app: _module("account_cmd").register(app)),
    "backup": (("backup", "restore"), lambda app: _module("backup_cmd").register(app)),
    "roles": (("roles", "role"), lambda app: _module("roles_cmd").register(app)),
    "skills": (("skills", "skill"), lambda app: _module("skills_cmd").register(app)),
    "catalog": (("catalog",), _register_catalog),
    "serve": (("serve",), lambda app: _module("serve_cmd").register(app)),
    "admin": (("admin", "feedback"), lambda app: _module("admin_cmd").register(app)),
}
"""Each command module and the top-level commands it registers. A command's module is imported
(and its Click command built) only when that command runs, or for `--help`, which lists all."""

ORDER = (
    *("assess", "fit", "gap", "reach", "summary", "match", "classify", "extract"),
    *("delete-account", "backup", "restore", "roles", "skills", "serve", "feedback"),
    *("plan", "progress", "quiz", "interview", "import", "posting", "apply", "resume"),
    *("market", "export", "role", "skill", "catalog", "admin"),
)
"""The order --help lists them in: the order a person meets them, single commands first."""

_built: dict[str, dict[str, Any]] = {}
"""Each section's Click commands, built once per process (in-process callers run many)."""


def _build(section: str) -> dict[str, Any]:
    if section not in _built:
        names, register = SECTIONS[section]
        holder = typer.Typer(rich_markup_mode=MARKUP)
        register(holder)
        commands = dict(typer.main.get_group(holder).commands)
        if set(commands) != set(names):
            raise RuntimeError(f"section {section} registers {sorted(commands)}, not {names}")
        _built[section] = commands
    return _built[section]


class LazyCommands(MutableMapping[str, Any]):
    """The root group's commands by name: every name is known up front (for usage errors and
    suggestions), a command is built when it is looked up."""

    def __init__(self) -> None:
        self._section = {name: key for key, (names, _) in SECTIONS.items() for name in names}
        self._extra: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name in self._extra:
            return self._extra[name]
        section = self._section.get(name)
        if section is None:
            raise KeyError(name)
        return _build(section)[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._extra[name] = command

    def __delitem__(self, name: str) -> None:
        del self._extra[name]

    def __iter__(self) -> Iterator[str]:
        yield from ORDER
        yield from (name for name in self._section if name not in ORDER)
        yield from (name for name in self._extra if name not in self._section)

    def __len__(self) -> int:
        return len(set(self._section) | set(self._extra))


class FriendlyGroup(TyperGroup):
    """Turns our errors into one plain sentence and exit code 1 (a traceback only with --debug)."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except MlpivotError as exc:
            if state(ctx).debug:
                raise
            from mlpivot.cli.output import err_console

            if isinstance(exc, CatalogError):
                err_console.print(f"Error: {exc}", markup=False)
            else:
                err_console.print(f"Error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except OSError as exc:
            if state(ctx).debug:
                raise
            from mlpivot.cli.output import err_console

            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            err_console.print(f"Error: {exc.strerror or exc}{where}", markup=False)
            raise typer.Exit(1) from None


HELP_CACHE = ("cli", "help-summaries")
"""Where the root listing's summaries are kept in the user cache folder (kind, name)."""

Summary = tuple[str | None, str | None, bool, bool, str | None]
"""What --help shows of a command: help, short help, hidden, deprecated, help panel."""


def help_key() -> str:
    """A key that changes with any source file of the package, Python or Typer.

    A command's help can be assembled from any module (`assess` quotes the limits), so every
    `.py` file counts, by size and modification time as Python's own bytecode cache does: a
    stat per file, far cheaper than building the commands the cache stands in for.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{__version__} {sys.version} {typer.__version__}".encode())
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d.isidentifier() and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                info = (Path(folder) / name).stat()
                digest.update(f"{folder}/{name} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def cached_summaries(key: str) -> dict[str, Summary] | None:
    """The listing stored for `key`, or None (no cache, another key, or a damaged file)."""
    from mlpivot.catalog.cache import read_cache

    found = read_cache(*HELP_CACHE, key, frozenset())
    if not isinstance(found, dict):
        return None
    return found


def summary_of(command: Any) -> Summary:
    panel = getattr(command, "rich_help_panel", None)
    panel = getattr(panel, "value", panel)  # a group's may be Typer's DefaultPlaceholder
    return (
        None if command.help is None else str(command.help),
        None if command.short_help is None else str(command.short_help),
        bool(command.hidden),
        bool(command.deprecated),
        panel if isinstance(panel, str) else None,
    )


class LazyGroup(FriendlyGroup):
    """The `mlpivot` group: its commands are `SECTIONS`, built as they are looked up.

    Its own --help lists every command with a line of help; building all of them for that
    costs more than the rest of the command. So the listing is kept in the user cache folder
    (see `help_key`) and, while this group's help is printed, a command is a stand-in carrying
    only what the listing shows. A missing, stale or damaged cache means a full build, which
    stores the listing for next time.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        lazy = LazyCommands()
        lazy.update(self.commands)
        self.commands = lazy
        self._summaries: dict[str, Summary] | None = None

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(self.commands)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        if self._summaries is not None and cmd_name in self._summaries:
            text, short, hidden, deprecated, panel = self._summaries[cmd_name]
            return TyperCommand(
                cmd_name,
                help=text,
                short_help=short,
                hidden=hidden,
                deprecated=deprecated,
                rich_markup_mode=MARKUP,
                rich_help_panel=panel,
            )
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        key = help_key()
        summaries = cached_summaries(key)
        if summaries is not None and set(summaries) == set(self.commands):
            self._summaries = summaries
            try:
                super().format_help(ctx, formatter)
            finally:
                self._summaries = None
            return
        super().format_help(ctx, formatter)
        from mlpivot.catalog.cache import write_cache

        listing = {name: summary_of(self.commands[name]) for name in self.list_commands(ctx)}
        write_cache(*HELP_CACHE, key, listing)


app = typer.Typer(
    cls=LazyGroup,
    name="mlpivot",
    help=(
        "Plan your move from software engineering into machine learning.\n\n"
        "The usual path: `mlpivot assess` (a 5-minute questionnaire, or `--profile FILE`; "
        "`mlpivot import resume CV.pdf` adds evidence), then `mlpivot fit` to see which role fits "
        "and why, `mlpivot gap --role ml-engineer` for what to learn, `mlpivot plan --role "
        "ml-engineer` to try a dated plan (`--save` to follow it), and "
        "`mlpivot progress log SKILL --hours 2` as you go. "
        "`mlpivot roles` and `mlpivot skill show pytorch` explore the knowledge base.\n\n"
        "Every command that prints data takes --json. Your data stays on this machine (SQLite "
        "in your user data folder; set DATABASE_URL for PostgreSQL)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=MARKUP,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlpivot {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    knowledge: Annotated[
        Path | None,
        typer.Option(
            "--knowledge",
            envvar="MLPIVOT_KNOWLEDGE_DIR",
            help="A folder of YAML that adds to or overrides the built-in knowledge base.",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks on errors (for bug reports).")
    ] = False,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            envvar="MLPIVOT_SERVER",
            help="A remote mlpivot (accounts mode) to talk to, with the API token in "
            "MLPIVOT_TOKEN; fit, gap, plan (the followed one), progress and feedback can yet "
            "(any other command says so and exits 1).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    cli = state(ctx)
    cli.knowledge_dir = knowledge
    cli.debug = debug
    if server is not None:
        from mlpivot.cli.remote import check_remote_command

        check_remote_command(server, ctx.invoked_subcommand)
        cli.server = server


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        from mlpivot.cli.output import err_console

        err_console.print("Interrupted.")
        sys.exit(130)
