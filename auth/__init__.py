"""Sign-in: user accounts, the audit log and lockout, independent of Streamlit pages.

The settings of this package, AUTH_SETTINGS (name, default, help), are declared with
every other setting in `data_access/settings.py`, which resolves them once and refuses
an unknown name, and are read by `config(name)`: environment `IOC_<NAME>` (upper case)
wins, then the `[auth]` table of `.streamlit/secrets.toml`, then the default.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

from data_access import settings
from data_access.settings import AUTH_SETTINGS, DEFAULT_COOKIE_KEY, PROJECT_ROOT, Setting, data_dir

__all__ = ["ROLES", "DEFAULT_COOKIE_KEY", "AUTH_SETTINGS", "Setting", "clock", "config", "uses_default_cookie_key"]

ROLES = ("admin", "leader", "unit_head", "viewer")


def clock() -> dt.datetime:
    """The real local time, naive, to the second. Sessions, throttling and the audit log
    run on it even when the data's clock is frozen (the `as_of` setting): a frozen clock
    would keep every lock and delay for ever. Tests replace this function."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.get("timezone"))
    return dt.datetime.now(zone).replace(tzinfo=None, microsecond=0)


def config(name: str) -> Any:
    """An auth setting: env `IOC_<NAME>`, then `[auth]` in secrets, then the default.

    Typed like its default. Two are resolved for use: `users_file` is returned as an
    absolute Path (relative paths are taken from the project root, empty means
    `<data_dir>/users.yaml`) and `app_db_url` as a full URL (empty means
    `sqlite:///<data_dir>/app.sqlite`). An unknown name raises `settings.UnknownSetting`.
    """
    value = settings.get_auth(name)
    if name == "users_file":
        if not value.strip():
            return data_dir() / "users.yaml"
        path = Path(value).expanduser()
        return path if path.is_absolute() else PROJECT_ROOT / path
    if name == "app_db_url":
        return value.strip() or f"sqlite:///{data_dir() / 'app.sqlite'}"
    if name == "cookie_key" and value == DEFAULT_COOKIE_KEY:
        # The published value never signs a cookie: a demo instance keeps a random key
        # of its own beside its data (production refuses to start without a real one).
        return instance_cookie_key()
    return value


def uses_default_cookie_key() -> bool:
    """True while no cookie key is set (the published demo value): production refuses it."""
    return settings.get_auth("cookie_key") == DEFAULT_COOKIE_KEY


def instance_cookie_key() -> str:
    """A random key made on first use and kept, readable by its owner only, in
    `<data_dir>/cookie_key`; the same for every process of this instance."""
    path = data_dir() / "cookie_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        path.unlink()                       # an empty or cut file: make it again
        return instance_cookie_key()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()
