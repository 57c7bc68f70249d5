"""Accounts mode's people and credentials: passwords, browser sessions, one-time links, API tokens.

Every secret that leaves the server (a session id, an invitation or reset link, an API token)
is random, 256 bits, and stored only as its SHA-256 digest: a stolen copy of the database
opens no door. Passwords are hashed with argon2id. Time is passed in (`now`), never read here,
so expiry is testable without waiting.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from mlpivot.errors import NotFoundError, UserError
from mlpivot.store.tables import (
    ApiTokenRow,
    LoginFailureRow,
    OneTimeTokenRow,
    PasswordRow,
    User,
    WebSessionRow,
)

PASSWORD_MIN_CHARS: Final = 10
PASSWORD_MAX_CHARS: Final = 512
"""argon2 hashes any length, but a megabyte "password" would only cost us time"""
_HASHER: Final = PasswordHasher()


@cache
def _no_such_user_hash() -> str:
    """Verified against when the email is unknown, so a wrong email takes as long as a wrong
    password. Hashed on first sign-in, not at import: an argon2 hash costs a good part of a
    second, and every command and every server start imports this module."""
    return _HASHER.hash("mlpivot: a password nobody has")


class AccountRole(StrEnum):
    LEARNER = "learner"
    MENTOR = "mentor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Account:
    """Who is signed in (or whom a page is about). `id` never leaves the server."""

    id: int
    public_id: str
    name: str
    email: str | None
    role: AccountRole
    is_local: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role is AccountRole.ADMIN


def account_of(user: User) -> Account:
    return Account(
        user.id, user.public_id, user.name, user.email, AccountRole(user.role), user.is_local
    )


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or len(cleaned) > 320 or any(c.isspace() for c in cleaned):
        raise UserError(f"'{email[:80]}' is not an email address (like ada@example.org)")
    return cleaned


def check_password_rules(password: str) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise UserError(
            f"the password is too short: use at least {PASSWORD_MIN_CHARS} characters "
            "(a few words make a good one)"
        )
    if len(password) > PASSWORD_MAX_CHARS:
        raise UserError(f"the password is longer than {PASSWORD_MAX_CHARS} characters")


class Accounts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, name: str, email: str, password: str, role: AccountRole) -> Account:
        name = name.strip()
        if not name or len(name) > 200:
            raise UserError("a name is required (at most 200 characters)")
        address = normalise_email(email)
        check_password_rules(password)
        taken = self.session.scalar(select(User.id).where(User.email == address))
        if taken is not None:
            raise UserError(f"there is already an account for {address}")
        user = User(name=name, email=address, role=role.value)
        self.session.add(user)
        self.session.flush()
        self.session.add(PasswordRow(user_id=user.id, hash=_HASHER.hash(password)))
        self.session.flush()
        return account_of(user)

    def authenticate(self, email: str, password: str) -> Account | None:
        """The account if the password is right; None for a wrong email or password alike."""
        address = email.strip().lower()
        row = self.session.execute(
            select(User, PasswordRow.hash)
            .join(PasswordRow, PasswordRow.user_id == User.id)
            .where(User.email == address)
        ).first()
        stored = row[1] if row else _no_such_user_hash()
        try:
            _HASHER.verify(stored, password[:PASSWORD_MAX_CHARS])
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        user: User = row[0]
        if _HASHER.check_needs_rehash(stored):
            self.set_password(user.id, password)
        return account_of(user)

    def set_password(self, user_id: int, password: str) -> None:
        check_password_rules(password)
        row = self.session.get(PasswordRow, user_id)
        if row is None:
            self.session.add(PasswordRow(user_id=user_id, hash=_HASHER.hash(password)))
        else:
            row.hash = _HASHER.hash(password)
        self.session.flush()

    def get(self, user_id: int) -> Account:
        user = self.session.get(User, user_id)
        if user is None:
            raise NotFoundError("that account no longer exists")
        return account_of(user)

    def by_public_id(self, public_id: str) -> Account:
        user = self.session.scalars(
            select(User).where(User.public_id == public_id, User.is_local.is_(False))
        ).first()
        if user is None:
            raise NotFoundError(f"there is no account '{public_id[:40]}'")
        return account_of(user)

    def all(self) -> list[Account]:
        users = self.session.scalars(
            select(User).where(User.is_local.is_(False)).order_by(User.name, User.id)
        )
        return [account_of(u) for u in users]

    def count_admins(self) -> int:
        return (
            self.session.scalar(
                select(func.count()).select_from(User).where(User.role == AccountRole.ADMIN.value)
            )
            or 0
        )


class WebSessions:
    """Server-side sessions: the cookie holds a random id, the table its digest and owner."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def start(self, user_id: int, now: datetime, lifetime: timedelta) -> str:
        token = new_secret()
        self.session.add(
            WebSessionRow(
                token_hash=digest(token), user_id=user_id, created_at=now, expires_at=now + lifetime
            )
        )
        self.session.flush()
        return token

    def account(self, token: str, now: datetime) -> Account | None:
        row = self.session.execute(
            select(User)
            .join(WebSessionRow, WebSessionRow.user_id == User.id)
            .where(WebSessionRow.token_hash == digest(token), WebSessionRow.expires_at > now)
        ).first()
        return account_of(row[0]) if row else None

    def end(self, token: str) -> None:
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == digest(token)))

    def end_all(self, user_id: int) -> None:
        """Sign a person out everywhere (after a password reset)."""
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))


class LoginThrottle:
    """Failed sign-ins per key (an account, an address) within a window, kept in the database
    so that every worker counts the same failures."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def failures(self, key: str, since: datetime) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(LoginFailureRow)
                .where(LoginFailureRow.key == key, LoginFailureRow.failed_at > since)
            )
            or 0
        )

    def oldest(self, key: str, since: datetime) -> datetime | None:
        return self.session.scalar(
            select(func.min(LoginFailureRow.failed_at)).where(
                LoginFailureRow.key == key, LoginFailureRow.failed_at > since
            )
        )

    def record(self, keys: list[str], now: datetime) -> list[int]:
        rows = [LoginFailureRow(key=key[:400], failed_at=now) for key in keys]
        self.session.add_all(rows)
        self.session.flush()
        return [row.id for row in rows]

    def forget(self, ids: list[int]) -> None:
        """Take back attempts recorded before the password was checked and found right."""
        if ids:
            self.session.execute(delete(LoginFailureRow).where(LoginFailureRow.id.in_(ids)))

    def clear(self, key: str) -> None:
        self.session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))

    def forget_before(self, before: datetime) -> None:
        self.session.execute(delete(LoginFailureRow).where(LoginFailureRow.failed_at <= before))


class LinkKind(StrEnum):
    INVITE = "invite"
    RESET = "reset"


@dataclass(frozen=True)
class OneTimeLink:
    public_id: str
    kind: LinkKind
    cohort_id: int | None
    role: AccountRole | None
    user_id: int | None
    expires_at: datetime
    used_at: datetime | None


def _link(row: OneTimeTokenRow) -> OneTimeLink:
    return OneTimeLink(
        row.public_id,
        LinkKind(row.kind),
        row.cohort_id,
        AccountRole(row.role) if row.role else None,
        row.user_id,
        row.expires_at,
        row.used_at,
    )


class OneTimeLinks:
    """Invitations and password resets: a random token in a link, usable once, until it expires."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def issue(
        self,
        kind: LinkKind,
        *,
        created_by: int,
        now: datetime,
        lifetime: timedelta,
        cohort_id: int | None = None,
        role: AccountRole | None = None,
        user_id: int | None = None,
    ) -> str:
        token = new_secret()
        self.session.add(
            OneTimeTokenRow(
                kind=kind.value,
                token_hash=digest(token),
                cohort_id=cohort_id,
                role=role.value if role else None,
                user_id=user_id,
                created_by=created_by,
                expires_at=now + lifetime,
            )
        )
        self.session.flush()
        return token

    def valid(self, kind: LinkKind, token: str, now: datetime) -> OneTimeLink:
        """The link if it can still be used; otherwise a plain error saying why not."""
        row = self.session.scalars(
            select(OneTimeTokenRow).where(
                OneTimeTokenRow.token_hash == digest(token), OneTimeTokenRow.kind == kind.value
            )
        ).first()
        what = "invitation" if kind is LinkKind.INVITE else "password reset link"
        if row is None:
            raise NotFoundError(f"this {what} is not valid: ask your admin for a new one")
        if row.used_at is not None:
            raise UserError(f"this {what} has already been used: ask your admin for a new one")
        if row.expires_at <= now:
            raise UserError(f"this {what} has expired: ask your admin for a new one")
        return _link(row)

    def use(self, kind: LinkKind, token: str, now: datetime) -> OneTimeLink:
        """Spend the link. One UPDATE decides, so two tabs accepting at once cannot both win."""
        link = self.valid(kind, token, now)
        result = self.session.execute(
            update(OneTimeTokenRow)
            .where(
                OneTimeTokenRow.token_hash == digest(token),
                OneTimeTokenRow.used_at.is_(None),
                OneTimeTokenRow.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise UserError("this link has just been used: ask your admin for a new one")
        return link


@dataclass(frozen=True)
class StoredApiToken:
    public_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiTokens:
    """A person's tokens for scripts and `mlpivot --server`. Shown once, stored as a digest."""

    PREFIX: Final = "mlp_"

    def __init__(self, session: Session, owner: Account) -> None:
        self.session, self.owner = session, owner

    def issue(self, name: str) -> tuple[StoredApiToken, str]:
        name = name.strip()[:100] or "token"
        token = self.PREFIX + new_secret()
        row = ApiTokenRow(owner_id=self.owner.id, name=name, token_hash=digest(token))
        self.session.add(row)
        self.session.flush()
        return _token(row), token

    def all(self) -> list[StoredApiToken]:
        rows = self.session.scalars(
            select(ApiTokenRow)
            .where(ApiTokenRow.owner_id == self.owner.id)
            .order_by(ApiTokenRow.id)
        )
        return [_token(r) for r in rows]

    def revoke(self, public_id: str, now: datetime) -> None:
        row = self.session.scalars(
            select(ApiTokenRow).where(
                ApiTokenRow.owner_id == self.owner.id, ApiTokenRow.public_id == public_id
            )
        ).first()
        if row is None:
            raise NotFoundError(f"you have no API token '{public_id[:40]}'")
        if row.revoked_at is None:
            row.revoked_at = now
            self.session.flush()


def api_token_account(session: Session, token: str, now: datetime) -> Account | None:
    """Whose token this is, if it is live; records when it was last used."""
    row = session.execute(
        select(User, ApiTokenRow)
        .join(ApiTokenRow, ApiTokenRow.owner_id == User.id)
        .where(ApiTokenRow.token_hash == digest(token), ApiTokenRow.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    row[1].last_used_at = now
    return account_of(row[0])


def _token(row: ApiTokenRow) -> StoredApiToken:
    return StoredApiToken(row.public_id, row.name, row.created_at, row.revoked_at, row.last_used_at)
