"""Sign-in: user accounts, the audit log and lockout, independent of Streamlit pages.

Settings of this package are declared once in AUTH_SETTINGS as (name, default, help)
and read by `config(name)`: environment `IOC_<NAME>` (upper case) wins, then the
`[auth]` table of `.streamlit/secrets.toml`, then the default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from data_access.settings import PROJECT_ROOT, Setting, data_dir, read_secrets

ROLES = ("admin", "leader", "unit_head", "viewer")

DEFAULT_COOKIE_KEY = "demo-only-cookie-key-change-me"

AUTH_SETTINGS: tuple[Setting, ...] = (
    Setting("users_file", "",
            "YAML file of user accounts (bcrypt hashes only), written with mode 0600; a relative path is taken "
            "from the project; empty means users.yaml in data_dir. Keep it outside git."),
    Setting("app_db_url", "",
            "SQLAlchemy URL of the app's own database (audit log, lockout); empty means the SQLite file app.sqlite "
            "in data_dir. Never one of the source databases."),
    Setting("cookie_name", "ioc_dashboard", "Name of the sign-in cookie."),
    Setting("cookie_key", DEFAULT_COOKIE_KEY,
            "Secret that signs the sign-in cookie; the demo value must be replaced in production."),
    Setting("cookie_expiry_days", 0.5, "Days the sign-in cookie stays valid."),
    Setting("session_minutes", 480, "Minutes without activity after which the session expires and the user must sign in again."),
    Setting("max_failures", 5, "Failed sign-ins within failure_window_minutes that lock the account."),
    Setting("failure_window_minutes", 15, "Window in which failed sign-ins are counted."),
    Setting("lock_minutes", 15, "Minutes an account stays locked after too many failed sign-ins."),
)

_BY_NAME = {s.name: s for s in AUTH_SETTINGS}


def _raw(name: str) -> Any:
    setting = _BY_NAME[name]
    raw = os.environ.get(f"IOC_{name.upper()}")
    if raw is None:
        raw = read_secrets().get("auth", {}).get(name)
    if raw is None:
        return setting.default
    default = setting.default
    if isinstance(default, bool):
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return str(raw)


def config(name: str) -> Any:
    """An auth setting: env `IOC_<NAME>`, then `[auth]` in secrets, then the default.

    Typed like its default. Two are resolved for use: `users_file` is returned as an
    absolute Path (relative paths are taken from the project root, empty means
    `<data_dir>/users.yaml`) and `app_db_url` as a full URL (empty means
    `sqlite:///<data_dir>/app.sqlite`).
    """
    value = _raw(name)
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
