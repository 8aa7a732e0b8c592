"""Sign-in: user accounts, the audit log and lockout, independent of Streamlit pages.

The settings of this package, AUTH_SETTINGS (name, default, help), are declared with
every other setting in `data_access/settings.py`, which resolves them once and refuses
an unknown name, and are read by `config(name)`: environment `IOC_<NAME>` (upper case)
wins, then the `[auth]` table of `.streamlit/secrets.toml`, then the default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from data_access import settings
from data_access.settings import AUTH_SETTINGS, DEFAULT_COOKIE_KEY, PROJECT_ROOT, Setting, data_dir

__all__ = ["ROLES", "DEFAULT_COOKIE_KEY", "AUTH_SETTINGS", "Setting", "config", "uses_default_cookie_key"]

ROLES = ("admin", "leader", "unit_head", "viewer")


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
    return value


def uses_default_cookie_key() -> bool:
    """True while the cookie key is the published demo value (refuse this in production)."""
    return config("cookie_key") == DEFAULT_COOKIE_KEY
