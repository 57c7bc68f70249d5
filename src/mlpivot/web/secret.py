"""The key that signs what the web app hands a browser (today the CSRF token, later sessions).

Accounts mode runs several stateless workers, so they must share one key: `MLPIVOT_SECRET_KEY`,
and without it the app refuses to start. Single-user mode needs no configuration, yet a key that
changed on every start would turn each open form into a refusal after a restart; so it keeps a
random key in a file in the data directory, created once, readable by this user only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from mlpivot.config import AuthMode, Settings
from mlpivot.errors import AuthError

KEY_FILE_NAME = "web-secret.key"
KEY_BYTES = 32


def signing_key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value().encode("utf-8")
        if len(key) < 16:
            raise AuthError(
                "MLPIVOT_SECRET_KEY is too short to sign anything safely: use at least 16 "
                "characters, e.g. the output of `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`"
            )
        return key
    if settings.auth is AuthMode.ACCOUNTS:
        raise AuthError(
            "accounts mode signs its cookies with MLPIVOT_SECRET_KEY, shared by every worker; "
            "set it in the environment or the config file"
        )
    return _key_file(settings.data_dir / KEY_FILE_NAME)


def _key_file(path: Path) -> bytes:
    """Read the key file, or publish a new one whole (two workers starting at once agree)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
        try:
            os.link(draft, path)  # atomic, and refuses to replace a key another worker wrote
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise AuthError(
            f"{path} should hold a {KEY_BYTES}-byte random key but holds {len(key)} bytes; "
            "delete it and mlpivot makes a new one (open pages then need a reload)"
        )
    return key
