"""Every setting of the project, declared once as (name, default, help), resolved once.

Where a value comes from, first found wins:

- `[ioc]` settings (SETTINGS, read by `get(name)`): environment `IOC_<NAME>` (upper
  case), then `[ioc]` in `.streamlit/secrets.toml`, then the default;
- sign-in settings (AUTH_SETTINGS, read by `auth.config(name)`): `IOC_<NAME>`, then
  `[auth]`, then the default;
- source URLs (`source_url(source)`): `IOC_<SOURCE>_URL`, then `[connections.<source>]
  url`, then the embedded demo file;
- ENVIRONMENT_ONLY: variables the test harness reads itself; declared here so that
  they are not refused.

Everything is resolved into one immutable `Snapshot` the first time a setting is asked
for: secrets read and values converted to the type of their default (bool, int, float,
str) once. It is resolved again only when an `IOC_` environment variable or a secrets
file (its mtime, size or inode) changes, which is cheap to check, or on `reload()`; so
`monkeypatch.setenv("IOC_…")` in a test takes effect on the next call.

A name nobody declared is refused when settings are resolved, with `UnknownSetting`
naming it and the nearest declared name: an `IOC_` environment variable, a key under
`[ioc]` or `[auth]`, a `[connections.<name>]` that is not a source, or a key of a
source's table other than `url`. A value that cannot be converted is refused with
`BadSettingValue`. Both are `SettingError`s, one line each, for the app and the command
lines to show. A test checks that every declared name is documented in the README.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SOURCE_NAMES = ("procedures", "tasks", "emulation")
ENV_PREFIX = "IOC_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return self.name if self.name.startswith(ENV_PREFIX) else ENV_PREFIX + self.name.upper()


DOCUMENT_SETTINGS: tuple[Setting, ...] = (
    Setting("document_issuer", "", "The issuing unit under the ministry's name in the reports' heading; empty means "
            "the Ministry Office (Văn phòng Bộ)."),
    Setting("document_symbol", "BC-VP", "The symbol after the reports' number: 'Số: 12/BC-VP'."),
    Setting("document_place", "Hà Nội", "The place before the reports' date: 'Hà Nội, ngày 02 tháng 12 năm 2026'."),
    Setting("document_signer_title", "", "The signer's title on the reports, lines separated by '/' "
            "('KT. BỘ TRƯỞNG/THỨ TRƯỞNG'); empty leaves the signature block blank."),
    Setting("document_signer_name", "", "The signer's name on the reports; empty leaves it blank."),
    Setting("government_report_number", "", "The number of the Government KPI report; empty leaves 'Số: ……/BC-VP'."),
    Setting("government_report_addressee", "", "Who the Government KPI report is addressed to; empty means "
            "the Government Office (Văn phòng Chính phủ)."),
    Setting("government_report_recipients", "", "The Government KPI report's recipients, separated by ';'; "
            "empty means the addressee, the Minister and the office's archive."),
    Setting("emulation_report_number", "", "The number of the emulation report; empty leaves 'Số: ……/BC-VP'."),
    Setting("emulation_report_addressee", "", "Who the emulation report is addressed to; empty means the Minister "
            "(Bộ trưởng)."),
    Setting("emulation_report_recipients", "", "The emulation report's recipients, separated by ';'; empty means "
            "the addressee, the deputy ministers and the office's archive."),
)

# --- alerts: reminders and scheduled reports by e-mail (alerts/, docs/alerts.md) ---------------
ALERT_SETTINGS: tuple[Setting, ...] = (
    Setting("smtp_host", "", "The mail server the alerts are sent through; empty means no mail is sent "
            "(`python -m alerts run` refuses, `--dry-run` still writes the messages)."),
    Setting("smtp_port", 587, "The mail server's port (587 for STARTTLS, 465 for SSL, 25 for none)."),
    Setting("smtp_security", "starttls", "How the connection to the mail server is protected: none, starttls or ssl."),
    Setting("smtp_user", "", "The account the alerts sign in to the mail server with; empty means no sign-in."),
    Setting("smtp_password", "", "The password of smtp_user (set it in the environment or secrets.toml, never in git)."),
    Setting("mail_from", "", "The sender of the alerts ('Văn phòng Bộ <ioc@example.gov.vn>'); empty means smtp_user."),
    Setting("base_url", "http://localhost:8501", "The dashboard's address as its users reach it: every item of a "
            "message links back to its view under it."),
    Setting("alerts_catalogue", "config/alerts.toml", "The alert rules: who gets what, when (docs/alerts.md)."),
)

# --- the machine interface (issue 14): the HTTP feed under /api/v1/ and the push -----------
API_SETTINGS: tuple[Setting, ...] = (
    Setting("api_rate_per_minute", 120, "Requests one API client may make per minute (a burst of as many, then "
            "refilled evenly); over it the feed answers 429. 0 means no limit."),
    Setting("push_url", "", "URL the KPI report of a closed Decree 09 period is posted to (python -m reports push); "
            "empty means no push."),
    Setting("push_secret", "", "Shared secret of the push's HMAC-SHA256 signature (header X-IOC-Signature); "
            "required to push. Keep it in secrets.toml or the environment, never in git."),
    Setting("push_attempts", 5, "Attempts of one push before it is given up (a receiver that is down, a 5xx or a 429)."),
    Setting("push_backoff_seconds", 10.0, "Wait before the push's second attempt; doubled before each further one."),
    Setting("push_timeout_seconds", 30.0, "Time limit of one push attempt (connect and answer)."),
)

SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "data", "Folder (relative to the project) holding the embedded SQLite demo databases."),
    Setting("as_of", "", "Freeze the app's clock at 'YYYY-MM-DD HH:MM[:SS]' (demos, tests); empty means live."),
    Setting("timezone", "Asia/Ho_Chi_Minh", "Zone of the naive local timestamps in the sources; 'now' is taken in it."),
    Setting("query_timeout_seconds", 30, "Statement time limit for every query against a source."),
    Setting("row_limit", 10000, "Most rows any row list returns, whatever limit the caller asks for."),
    Setting("kpi_catalogue", "config/kpis.toml", "KPI catalogue: names, units, targets, thresholds, 766 weights."),
    Setting("demo_seed", 2026, "Seed of the demo data generated on first start."),
    Setting("refresh_seconds", 60, "How often live KPI sections refresh themselves in the app."),
    Setting("cache_ttl_seconds", 60, "How long results that have no as-of moment (unit names, the procedure "
            "list) are reused before a background refresh; figures are refreshed when the as-of minute moves on."),
    Setting("warm_seconds", 300, "How often the server computes the whole ministry's Overview in the default "
            "period before anyone asks (at start, then at this interval); 0 computes only on a visit."),
    # The administrative-document fields of the two reports (Decree 30/2020/NĐ-CP). The
    # Reports page prefills its fields from them; a number or a signer that is not given
    # is left blank on the document for the office to fill in by hand, never made up.
    *DOCUMENT_SETTINGS,
    # The machine interface for the Government operations centre (api/, reports/push.py).
    *API_SETTINGS,
    # Reminders and scheduled reports by e-mail (alerts/, `python -m alerts`).
    *ALERT_SETTINGS,
)

DEFAULT_COOKIE_KEY = "demo-only-cookie-key-change-me"

# Read by `auth.config`, which re-exports this tuple as `auth.AUTH_SETTINGS`.
AUTH_SETTINGS: tuple[Setting, ...] = (
    Setting("users_file", "",
            "YAML file of user accounts (bcrypt hashes only), written with mode 0600; a relative path is taken "
            "from the project; empty means users.yaml in data_dir. Keep it outside git."),
    Setting("app_db_url", "",
            "SQLAlchemy URL of the app's own database (audit log, sessions, sign-in failures); empty means the SQLite file app.sqlite "
            "in data_dir. Never one of the source databases."),
    Setting("cookie_name", "ioc_dashboard", "Name of the sign-in cookie."),
    Setting("cookie_key", DEFAULT_COOKIE_KEY,
            "Secret that signs the sign-in cookie. Left at this published value, a demo instance signs with a random key of its own (cookie_key in data_dir, made on first start) and real sources refuse to start."),
    Setting("cookie_expiry_days", 0.5, "Days a sign-in session (and its cookie) lasts at most, however active."),
    Setting("session_minutes", 480, "Minutes without activity after which the session expires and the user must sign in again."),
    Setting("max_failures", 5,
            "Failed sign-ins of one account from one client address, within failure_window_minutes, that lock the "
            "account for that address; as many failures from one address (any accounts) start a growing delay "
            "between its attempts."),
    Setting("account_failures", 20,
            "Failed sign-ins of one account from all addresses, within failure_window_minutes, that lock the "
            "account for everyone."),
    Setting("global_failures", 100,
            "Failed sign-ins from all addresses, within failure_window_minutes, above which every attempt waits "
            "a growing delay."),
    Setting("max_delay_seconds", 60, "Longest delay the throttling imposes between two attempts."),
    Setting("failure_window_minutes", 15, "Window in which failed sign-ins are counted."),
    Setting("lock_minutes", 15, "Minutes an account stays locked after too many failed sign-ins."),
)

# The source URLs are also `[connections.<source>] url`; the rest only the tests read.
ENVIRONMENT_ONLY: tuple[Setting, ...] = (
    *(Setting(f"IOC_{source.upper()}_URL", "",
              f"SQLAlchemy URL of the {source} database; else `[connections.{source}] url` in secrets.toml, "
              f"else the embedded demo file data/{source}.sqlite.")
      for source in SOURCE_NAMES),
    Setting("IOC_TEST_POSTGRES_URL", "",
            "Tests only: the PostgreSQL server of the SQL tests; empty means postgresql+psycopg://postgres@127.0.0.1:5432/test."),
    Setting("IOC_TEST_MARIADB_URL", "",
            "Tests only: the MariaDB server of the SQL tests; empty means mysql+pymysql://root@127.0.0.1:3306/test."),
    Setting("IOC_REQUIRE_ENGINES", "", "Tests only: 1 turns an unreachable PostgreSQL or MariaDB into a failure (.ci/run)."),
    Setting("IOC_REQUIRE_BROWSER", "", "Tests only: 1 turns a missing browser for the browser tests into a failure (.ci/run)."),
    Setting("IOC_RECORD_GOLDEN", "", "Tests only: 1 re-records the golden report files instead of comparing with them."),
    Setting("IOC_BENCH_POSTGRES_URL", "",
            "Benchmarks only: PostgreSQL URL `make bench` also measures (its --postgres); empty leaves PostgreSQL out."),
    Setting("IOC_BENCH_MARIADB_URL", "",
            "Benchmarks only: MariaDB URL `make bench` also measures (its --mariadb); empty leaves MariaDB out."),
)

SECRETS_TABLES = {"ioc": SETTINGS, "auth": AUTH_SETTINGS}
SOURCE_KEYS = ("url",)

ENV_NAMES: tuple[str, ...] = tuple(s.env for s in (*SETTINGS, *AUTH_SETTINGS, *ENVIRONMENT_ONLY))
assert len(set(ENV_NAMES)) == len(ENV_NAMES), "two settings share an environment variable"


class SettingError(ValueError):
    """A setting that cannot be used; the message is one line naming it."""


class UnknownSetting(SettingError):
    """A name that no setting declares (a typo, or a setting that was removed)."""


class BadSettingValue(SettingError):
    """A value that is not of its setting's type."""


@dataclass(frozen=True)
class Snapshot:
    """Every setting's value, resolved and typed: `[ioc]` settings, `[auth]` settings,
    and each source's configured URL ("" when none is: the embedded demo file)."""

    ioc: Mapping[str, Any]
    auth: Mapping[str, Any]
    sources: Mapping[str, str]


# --- reading the secrets files ---------------------------------------------------------------
def secrets_files() -> tuple[Path, ...]:
    """Streamlit reads the user's global file first, then the project's; later wins.
    (Tests point this at files of their own with monkeypatch.)"""
    return _secrets_files(os.path.expanduser("~"))


@functools.lru_cache(maxsize=8)
def _secrets_files(home: str) -> tuple[Path, ...]:
    return (Path(home) / ".streamlit" / "secrets.toml", PROJECT_ROOT / ".streamlit" / "secrets.toml")


def _read_files(paths: Iterable[Path]) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in paths:
        if path.is_file():
            with path.open("rb") as fh:
                try:
                    found.append((path, tomllib.load(fh)))
                except tomllib.TOMLDecodeError as exc:
                    raise SettingError(f"{path} is not valid TOML: {exc}") from None
    return found


def _merge(files: list[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for _path, data in files:
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged


# --- refusing unknown names ------------------------------------------------------------------
def _suggest(name: str, known: Iterable[str], show=lambda n: n) -> str:
    known = list(known)
    close = difflib.get_close_matches(name.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
    if close:
        match = next(k for k in known if k.lower() == close[0])
        return f"; did you mean {show(match)}?"
    if len(known) > 10:
        return "; the declared ones are in the README's settings tables"
    return f"; known: {', '.join(show(k) for k in known)}"


def _check_environment(environ: Mapping[str, str]) -> None:
    for var in sorted(environ):
        if var.startswith(ENV_PREFIX) and var not in ENV_NAMES:
            hint = _suggest(var[len(ENV_PREFIX):], [n[len(ENV_PREFIX):] for n in ENV_NAMES],
                            show=lambda n: ENV_PREFIX + n)
            raise UnknownSetting(f"unknown setting {var} in the environment{hint}")


def _check_file(path: Path, data: dict[str, Any]) -> None:
    for table, declared in SECRETS_TABLES.items():
        if table not in data:
            continue
        if not isinstance(data[table], dict):
            raise BadSettingValue(f"{table} in {path} must be a table [{table}]")
        names = [s.name for s in declared]
        for key in data[table]:
            if key not in names:
                hint = _suggest(key, names)
                raise UnknownSetting(f"unknown setting [{table}] {key} in {path}{hint}")
    connections = data.get("connections")
    if connections is None:
        return
    if not isinstance(connections, dict):
        raise BadSettingValue(f"connections in {path} must be tables [connections.<source>]")
    for source, table in connections.items():
        if source not in SOURCE_NAMES:
            hint = _suggest(source, SOURCE_NAMES, show=lambda n: f"[connections.{n}]")
            raise UnknownSetting(f"unknown source [connections.{source}] in {path}{hint}")
        if not isinstance(table, dict):
            raise BadSettingValue(f"connections.{source} in {path} must be a table with url = \"…\"")
        for key in table:
            if key not in SOURCE_KEYS:
                hint = _suggest(key, SOURCE_KEYS)
                raise UnknownSetting(f"unknown setting [connections.{source}] {key} in {path}{hint}")


# --- converting values -----------------------------------------------------------------------
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _counted(value: float, where: str, raw: Any) -> float:
    # Every numeric setting counts or measures something (rows, seconds, days, a seed):
    # a negative, infinite or NaN value is a mistake, refused here rather than deep in a page.
    if not math.isfinite(value) or value < 0:
        raise BadSettingValue(f"setting {where} = {raw!r} must be a finite number, 0 or more")
    return value


def _convert(setting: Setting, raw: Any, where: str) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise ValueError
        if isinstance(default, int):
            if isinstance(raw, bool) or isinstance(raw, float):
                raise ValueError
            return _counted(int(str(raw).strip()) if isinstance(raw, str) else int(raw), where, raw)
        if isinstance(default, float):
            if isinstance(raw, bool):
                raise ValueError
            return _counted(float(str(raw).strip()) if isinstance(raw, str) else float(raw), where, raw)
        if isinstance(raw, (dict, list)):
            raise ValueError
        return str(raw)
    except BadSettingValue:
        raise
    except (TypeError, ValueError):
        kind = {bool: "true or false", int: "a whole number", float: "a number"}.get(type(default), "text")
        raise BadSettingValue(f"setting {where} = {raw!r} is not {kind}") from None


# --- the snapshot ----------------------------------------------------------------------------
def _resolve(environ: Mapping[str, str], files: list[tuple[Path, dict[str, Any]]]) -> Snapshot:
    _check_environment(environ)
    for path, data in files:
        _check_file(path, data)
    secrets = _merge(files)

    def table(name: str, declared: tuple[Setting, ...]) -> Mapping[str, Any]:
        given = secrets.get(name, {})
        values = {}
        for s in declared:
            if s.env in environ:
                values[s.name] = _convert(s, environ[s.env], s.env)
            elif s.name in given:
                values[s.name] = _convert(s, given[s.name], f"[{name}] {s.name}")
            else:
                values[s.name] = s.default
        return MappingProxyType(values)

    sources = {}
    for source in SOURCE_NAMES:
        url = environ.get(f"IOC_{source.upper()}_URL", "")
        if not url:
            url = secrets.get("connections", {}).get(source, {}).get("url") or ""
            if not isinstance(url, str):
                raise BadSettingValue(f"setting [connections.{source}] url = {url!r} is not text")
        sources[source] = url
    return Snapshot(ioc=table("ioc", SETTINGS), auth=table("auth", AUTH_SETTINGS), sources=MappingProxyType(sources))


def _stamp(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return (path, None)
    return (path, st.st_mtime_ns, st.st_size, st.st_ino)


def _fingerprint() -> tuple:
    """What the snapshot depends on, cheap to take on every call: the `IOC_` variables
    (iterating the keys alone: `environ.items()` decodes every value) and each secrets
    file's path, mtime, size and inode."""
    environ = os.environ
    env = tuple(sorted((k, environ[k]) for k in environ if k.startswith(ENV_PREFIX)))
    return env, tuple(_stamp(p) for p in secrets_files())


_lock = threading.Lock()
_current: tuple[tuple, Snapshot] | None = None


def snapshot() -> Snapshot:
    """The resolved settings; resolved again only when the environment's `IOC_`
    variables or a secrets file changed since. Raises a `SettingError` for a name
    nobody declared or a value of the wrong type."""
    global _current
    fingerprint = _fingerprint()
    current = _current
    if current is not None and current[0] == fingerprint:
        return current[1]
    with _lock:
        if _current is not None and _current[0] == fingerprint:
            return _current[1]
        resolved = _resolve(dict(os.environ), _read_files(secrets_files()))
        _current = (fingerprint, resolved)
        return resolved


def reload() -> Snapshot:
    """Forget the snapshot and resolve the settings again now."""
    global _current
    with _lock:
        _current = None
    return snapshot()


def check() -> Snapshot:
    """Resolve the settings now, so that a wrong one is reported at start (raises `SettingError`)."""
    return snapshot()


def _unknown(name: str, declared: tuple[Setting, ...], table: str) -> UnknownSetting:
    return UnknownSetting(f"unknown setting {name!r} ([{table}]){_suggest(name, [s.name for s in declared])}")


def get(name: str) -> Any:
    """A setting's value: environment, then `[ioc]` in secrets, then the default."""
    values = snapshot().ioc
    if name not in values:
        raise _unknown(name, SETTINGS, "ioc")
    return values[name]


def get_auth(name: str) -> Any:
    """A sign-in setting as given (`auth.config` resolves the two paths)."""
    values = snapshot().auth
    if name not in values:
        raise _unknown(name, AUTH_SETTINGS, "auth")
    return values[name]


def data_dir() -> Path:
    path = Path(get("data_dir"))
    return path if path.is_absolute() else PROJECT_ROOT / path


def default_url(source: str) -> str:
    return f"sqlite:///{data_dir() / (source + '.sqlite')}"


def source_url(source: str) -> str:
    """The SQLAlchemy URL of a source: `IOC_<SOURCE>_URL`, then `[connections.<source>]`, then the embedded demo file."""
    if source not in SOURCE_NAMES:
        raise UnknownSetting(f"unknown source {source!r}{_suggest(source, SOURCE_NAMES)}")
    return snapshot().sources[source] or default_url(source)


def is_embedded_demo(source: str) -> bool:
    return source_url(source) == default_url(source)
