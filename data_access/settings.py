"""Settings of the data layer, declared once as (name, default, help).

Every setting can be given in `.streamlit/secrets.toml` under `[ioc]` or as an
environment variable `IOC_<NAME>` (upper case), which wins. A test checks that each
one is documented in the README.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SOURCE_NAMES = ("procedures", "tasks", "emulation")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "data", "Folder (relative to the project) holding the embedded SQLite demo databases."),
    Setting("as_of", "", "Freeze the app's clock at 'YYYY-MM-DD HH:MM[:SS]' (demos, tests); empty means live."),
    Setting("timezone", "Asia/Ho_Chi_Minh", "Zone of the naive local timestamps in the sources; 'now' is taken in it."),
    Setting("query_timeout_seconds", 30, "Statement time limit for every query against a source."),
    Setting("row_limit", 10000, "Most rows any row list returns, whatever limit the caller asks for."),
    Setting("kpi_catalogue", "config/kpis.toml", "KPI catalogue: names, units, targets, thresholds, 766 weights."),
    Setting("demo_seed", 2026, "Seed of the demo data generated on first start."),
    Setting("refresh_seconds", 60, "How often live KPI sections refresh themselves in the app."),
    Setting("cache_ttl_seconds", 60, "How long query results are shared across sessions before re-querying."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _secrets_files() -> list[Path]:
    # Streamlit reads the user's global file first, then the project's; later wins.
    return [Path.home() / ".streamlit" / "secrets.toml", PROJECT_ROOT / ".streamlit" / "secrets.toml"]


def read_secrets() -> dict[str, Any]:
    """The merged secrets.toml files, read without importing Streamlit (the CLI uses it too)."""
    merged: dict[str, Any] = {}
    for path in _secrets_files():
        if path.is_file():
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            for key, value in data.items():
                if isinstance(value, dict) and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                else:
                    merged[key] = value
    return merged


def get(name: str) -> Any:
    """A setting's value: environment, then `[ioc]` in secrets, then the default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(f"IOC_{name.upper()}")
    if raw is None:
        raw = read_secrets().get("ioc", {}).get(name)
    if raw is None:
        return setting.default
    if isinstance(setting.default, int):
        return int(raw)
    return raw


def data_dir() -> Path:
    path = Path(get("data_dir"))
    return path if path.is_absolute() else PROJECT_ROOT / path


def default_url(source: str) -> str:
    return f"sqlite:///{data_dir() / (source + '.sqlite')}"


def source_url(source: str) -> str:
    """The SQLAlchemy URL of a source: `IOC_<SOURCE>_URL`, then `[connections.<source>]`, then the embedded demo file."""
    if source not in SOURCE_NAMES:
        raise KeyError(source)
    env = os.environ.get(f"IOC_{source.upper()}_URL")
    if env:
        return env
    conn = read_secrets().get("connections", {}).get(source, {})
    if isinstance(conn, dict) and conn.get("url"):
        return str(conn["url"])
    return default_url(source)


def is_embedded_demo(source: str) -> bool:
    return source_url(source) == default_url(source)
