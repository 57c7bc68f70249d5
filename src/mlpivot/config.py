"""Settings from the environment (`MLPIVOT_*`, `DATABASE_URL`) and an optional config file.

The data directory defaults to the per-user data dir so that `pip install` + `mlpivot` works
with no configuration; the SQLite database lives there unless `DATABASE_URL` says otherwise.
"""

from __future__ import annotations

import os
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from mlpivot.errors import UserError


class AuthMode(StrEnum):
    SINGLE_USER = "single-user"
    ACCOUNTS = "accounts"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("mlpivot", appauthor=False))


def config_file() -> Path:
    """`MLPIVOT_CONFIG_FILE`, else `config.toml` in the per-user config dir (may not exist)."""
    named = os.environ.get("MLPIVOT_CONFIG_FILE")
    if named:
        return Path(named)
    return Path(platformdirs.user_config_dir("mlpivot", appauthor=False)) / "config.toml"


ENV_PREFIX = "MLPIVOT_"
ENV_ALIASES = {"database_url": ("DATABASE_URL", "MLPIVOT_DATABASE_URL")}
"""Fields read from more than the prefixed name, first found wins."""


def _from_environment(names: set[str]) -> dict[str, str]:
    """`MLPIVOT_<FIELD>` for each field (any letter case, as shells and .env habits vary)."""
    env = {key.upper(): value for key, value in os.environ.items()}
    found: dict[str, str] = {}
    for name in names:
        for key in ENV_ALIASES.get(name, (ENV_PREFIX + name.upper(),)):
            if key in env:
                found[name] = env[key]
                break
    return found


def _from_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"the config file {path} is not valid TOML: {exc}") from None


class Settings(BaseModel):
    """Every setting, read with this precedence: explicit arguments, then the environment
    (`MLPIVOT_*`, `DATABASE_URL`), then the config file.

    A plain pydantic model with the sources merged before validation, rather than
    pydantic-settings, whose import alone costs more than a whole `mlpivot roles`.
    """

    model_config = ConfigDict(extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    knowledge_dir: Path | None = Field(
        default=None, description="a folder of YAML that adds to or overrides the built-in catalog"
    )
    auth: AuthMode = AuthMode.SINGLE_USER
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    shared_data: Path | None = Field(
        default=None, description="the raw public data sets behind `market rebuild`"
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="signs the web app's cookies; required in accounts mode, where every "
        "worker must share it; single-user mode keeps its own key file in the data dir",
    )
    login_failures_per_account: int = Field(
        default=5, ge=1, description="failed sign-ins allowed per account within the window"
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, description="failed sign-ins allowed per client address in the window"
    )
    login_window_minutes: int = Field(default=15, ge=1)
    session_hours: int = Field(default=72, ge=1, description="how long a sign-in lasts")
    invite_days: int = Field(default=7, ge=1, description="how long an invitation link works")
    reset_hours: int = Field(default=24, ge=1, description="how long a password reset link works")

    @model_validator(mode="before")
    @classmethod
    def _merge_sources(cls, given: Any) -> Any:
        if not isinstance(given, dict):
            return given
        names = set(cls.model_fields)
        merged = {k: v for k, v in _from_config_file(config_file()).items() if k in names}
        merged.update(_from_environment(names))
        merged.update(given)
        return merged

    def raw_data_dir(self) -> Path:
        """`shared_data` (MLPIVOT_SHARED_DATA), else ../shared/data from where mlpivot runs."""
        return self.shared_data or Path.cwd().parent / "shared" / "data"

    def resolved_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Heroku-style URLs name the old driver; psycopg 3 is what we ship.
            if url.startswith("postgres://"):
                url = "postgresql://" + url.removeprefix("postgres://")
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{self.data_dir / 'mlpivot.db'}"


def load_settings(**overrides: object) -> Settings:
    return Settings.model_validate(overrides)
