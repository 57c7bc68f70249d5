"""Where a command's profile comes from: a file given with --profile, else the stored one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from mlpivot.errors import UserError

if TYPE_CHECKING:
    from mlpivot.bootstrap import Services
    from mlpivot.engine.profile import Profile


def read_profile_file(path: Path, services: Services, today: date | None = None) -> Profile:
    import yaml

    from mlpivot.engine.profile import profile_from_data

    if not path.is_file():
        raise UserError(f"{path}: no such profile file")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not valid YAML/JSON ({exc})".splitlines()[0]) from None
    return profile_from_data(data, services.catalog, source=str(path), today=today)


def load_profile(path: Path | None, services: Services) -> Profile:
    from mlpivot.bootstrap import stored_profile

    return read_profile_file(path, services) if path else stored_profile(services)
