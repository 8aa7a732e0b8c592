"""User accounts in a small YAML file: bcrypt hashes only, never a plain password.

Layout of the file (mode 0600, rewritten atomically on every change):

    users:
      lanhdao:
        name: Trần Thị Lãnh Đạo
        email: lanhdao@example.gov.vn
        role: leader
        unit: null
        disabled: false
        password: $2b$12$...
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from . import ROLES

USERNAME_RE = re.compile(r"^[a-z0-9._-]{2,40}$")
UNIT_RE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD_BYTES = 10
MAX_PASSWORD_BYTES = 72  # bcrypt's limit

# A valid hash of a random secret: checked against when the user is unknown or
# disabled, so that verify() takes the same time whether or not the account exists.
_DUMMY_HASH = "$2b$12$vSv.l4zdL8yWhW2K.ZpqFOy9pPIATcUOHat4rb6bSjfyB/0oWjrGK"


class UserError(ValueError):
    """A request about users that cannot be done; the message is safe to show (never a password)."""


@dataclass(frozen=True)
class User:
    username: str
    name: str
    email: str
    role: str
    unit: str | None
    disabled: bool
    # A fingerprint of the password hash: a session remembers it, and ends when it changes.
    credential: str = field(default="", compare=False, repr=False)


def hash_password(password: str) -> str:
    """bcrypt hash as `streamlit_authenticator.Hasher.hash` makes it (same call, same format).

    bcrypt is called directly so that the CLI does not import Streamlit.
    """
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:  # malformed hash, or a password bcrypt refuses
        return False


def normalize_username(username: str) -> str:
    return str(username or "").strip().lower()


def validate_username(username: str) -> str:
    u = normalize_username(username)
    if not USERNAME_RE.match(u):
        raise UserError("username must be 2-40 characters: a-z, 0-9, '.', '_' or '-'")
    return u


def validate_password(password: str) -> None:
    if not isinstance(password, str):
        raise UserError("password must be text")
    n = len(password.encode("utf-8"))
    if n < MIN_PASSWORD_BYTES:
        raise UserError(f"password too short: at least {MIN_PASSWORD_BYTES} bytes")
    if n > MAX_PASSWORD_BYTES:
        raise UserError(f"password too long: at most {MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt's limit)")


def validate_profile(name: str, email: str, role: str, unit: str | None) -> tuple[str, str, str, str | None]:
    name = unicodedata.normalize("NFC", str(name or "").strip())
    if not name or len(name) > 100:
        raise UserError("name is required (at most 100 characters)")
    email = str(email or "").strip()
    if not EMAIL_RE.match(email) or len(email) > 200:
        raise UserError("email must look like name@domain")
    role = str(role or "").strip()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    unit = str(unit).strip() if unit is not None else None
    unit = unit or None
    if role == "unit_head":
        if unit is None:
            raise UserError("a unit_head needs a unit")
        if not UNIT_RE.match(unit):
            raise UserError("unit code must be 1-40 characters: letters, digits, '.', '_' or '-'")
    elif unit is not None:
        raise UserError(f"only a unit_head has a unit, not a {role}")
    return name, email, role, unit


class UserStore:
    """The accounts in one YAML file, re-read on every call so that every process
    (app, CLI) sees the others' changes; created on first write."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.RLock()

    # -- file --------------------------------------------------------------
    def _load(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        try:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise UserError(f"{self.path}: not a valid users file ({exc.__class__.__name__})") from None
        users = data.get("users") if isinstance(data, dict) else None
        if users is None:
            return {}
        if not isinstance(users, dict):
            raise UserError(f"{self.path}: 'users' must be a mapping")
        return {str(k): dict(v or {}) for k, v in users.items()}

    def _save(self, users: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump({"users": dict(sorted(users.items()))}, allow_unicode=True, sort_keys=False)
        fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=self.path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise

    @staticmethod
    def _user(username: str, rec: dict[str, Any]) -> User:
        return User(
            username=username,
            name=str(rec.get("name") or ""),
            email=str(rec.get("email") or ""),
            role=str(rec.get("role") or ""),
            unit=(str(rec["unit"]) if rec.get("unit") not in (None, "") else None),
            disabled=bool(rec.get("disabled", False)),
            credential=hashlib.sha256(str(rec.get("password") or "").encode("utf-8")).hexdigest()[:16],
        )

    def _require(self, users: dict[str, dict[str, Any]], username: str) -> str:
        u = normalize_username(username)
        if u not in users:
            raise UserError(f"no such user: {u}")
        return u

    # -- reading -----------------------------------------------------------
    def list(self) -> list[User]:
        return [self._user(u, rec) for u, rec in sorted(self._load().items())]

    def get(self, username: str) -> User | None:
        u = normalize_username(username)
        rec = self._load().get(u)
        return self._user(u, rec) if rec is not None else None

    def credentials(self) -> dict:
        """streamlit-authenticator's credentials dict, enabled users with a known role only
        (a fresh dict every call: the library writes into it)."""
        out: dict[str, dict[str, Any]] = {}
        for u, rec in sorted(self._load().items()):
            if rec.get("disabled") or rec.get("role") not in ROLES or not rec.get("password"):
                continue
            out[u] = {
                "name": str(rec.get("name") or u),
                "email": str(rec.get("email") or ""),
                "password": str(rec["password"]),
                "roles": [rec["role"]],
            }
        return {"usernames": out}

    def verify(self, username: str, password: str) -> User | None:
        """The user if `password` is right and the account enabled, else None.
        Takes about the same time whether or not the account exists."""
        u = normalize_username(username)
        rec = self._load().get(u)
        usable = rec is not None and not rec.get("disabled") and rec.get("role") in ROLES and rec.get("password")
        hashed = str(rec["password"]) if usable else _DUMMY_HASH
        ok = isinstance(password, str) and len(password.encode("utf-8")) <= MAX_PASSWORD_BYTES \
            and check_password(password, hashed)
        return self._user(u, rec) if (ok and usable) else None

    # -- writing -----------------------------------------------------------
    def add(self, username: str, *, name: str, email: str, role: str, unit: str | None = None,
            password: str) -> User:
        u = validate_username(username)
        name, email, role, unit = validate_profile(name, email, role, unit)
        validate_password(password)
        with self._lock:
            users = self._load()
            if u in users:
                raise UserError(f"user already exists: {u}")
            users[u] = {"name": name, "email": email, "role": role, "unit": unit,
                        "disabled": False, "password": hash_password(password)}
            self._save(users)
            return self._user(u, users[u])

    def _set_disabled(self, username: str, disabled: bool) -> User:
        with self._lock:
            users = self._load()
            u = self._require(users, username)
            users[u]["disabled"] = disabled
            self._save(users)
            return self._user(u, users[u])

    def disable(self, username: str) -> User:
        return self._set_disabled(username, True)

    def enable(self, username: str) -> User:
        return self._set_disabled(username, False)

    def remove(self, username: str) -> User:
        """Delete the account (its past audit events stay in the audit log)."""
        with self._lock:
            users = self._load()
            u = self._require(users, username)
            removed = self._user(u, users.pop(u))
            self._save(users)
            return removed

    def reset_password(self, username: str, password: str) -> User:
        validate_password(password)
        with self._lock:
            users = self._load()
            u = self._require(users, username)
            users[u]["password"] = hash_password(password)
            self._save(users)
            return self._user(u, users[u])
