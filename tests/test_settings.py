"""Settings: every name documented in the README and declared, resolved once into one
snapshot (env beats secrets beats default, typed), unknown names refused; the KPI
catalogue names every KPI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import auth
from data_access import catalogue, settings
from data_access.settings import PROJECT_ROOT


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    """A secrets.toml of the test's own (absent until written), no `IOC_` variables set."""
    for var in [v for v in os.environ if v.startswith("IOC_")]:
        monkeypatch.delenv(var)
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    monkeypatch.setattr(settings, "secrets_files", lambda: [tmp_path / "home-secrets.toml", path])
    return path


def _write(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


# -- documented and declared -------------------------------------------------------------------
@pytest.mark.parametrize("declared", [settings.SETTINGS, auth.AUTH_SETTINGS, settings.ENVIRONMENT_ONLY],
                         ids=["ioc", "auth", "environment"])
def test_every_setting_is_documented_in_the_readme_with_its_default(declared):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for setting in declared:
        row = re.search(rf"^\| `{setting.name}` \| (.*?) \|", readme, re.M)
        assert row, f"setting {setting.name} is not in the README's table"
        shown = row.group(1).strip("` ")
        assert shown == (str(setting.default) or "empty"), setting.name
        assert setting.help


def test_every_ioc_variable_the_project_mentions_is_declared():
    mentioned: dict[str, str] = {}
    skip = {".git", ".venv", "data", "node_modules", "__pycache__", ".pytest_cache"}
    suffixes = (".py", ".md", ".toml", ".example", ".sh", ".yml", ".yaml", ".cfg", ".ini")
    for folder, dirs, files in os.walk(PROJECT_ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        for file in files:
            path = Path(folder) / file
            if not (path.suffix in suffixes or file in ("Makefile", "run")) or path == Path(__file__):
                continue                                            # (this file names wrong ones on purpose)
            for name in re.findall(r"\bIOC_[A-Z][A-Z0-9_]*", path.read_text(encoding="utf-8", errors="replace")):
                mentioned.setdefault(name, str(path.relative_to(PROJECT_ROOT)))
    assert "IOC_REQUIRE_ENGINES" in mentioned and "IOC_TASKS_URL" in mentioned      # the scan finds them
    not_variables = {"IOC_BENCH_PEAK_KB"}           # a marker line benchmarks/kpis.py's child prints
    undeclared = {name: where for name, where in mentioned.items()
                  if name not in settings.ENV_NAMES and name not in not_variables}
    assert not undeclared, f"IOC_ variables used but not declared in data_access/settings.py: {undeclared}"


# -- resolved once -------------------------------------------------------------------------------
def test_the_snapshot_is_resolved_once_and_again_only_after_a_change(secrets, monkeypatch):
    loads = []
    real_load = tomllib.load
    monkeypatch.setattr(tomllib, "load", lambda fh: loads.append(1) or real_load(fh))
    _write(secrets, '[ioc]\nrow_limit = 25\n[auth]\nmax_failures = 3\n[connections.tasks]\nurl = "sqlite:///t.sqlite"\n')
    settings.reload()
    assert len(loads) == 1
    first = settings.snapshot()
    for _ in range(50):
        assert settings.get("row_limit") == 25
        assert auth.config("max_failures") == 3
        assert settings.source_url("tasks") == "sqlite:///t.sqlite"
    assert settings.snapshot() is first and len(loads) == 1          # 150 reads, one file read
    with pytest.raises(TypeError):
        first.ioc["row_limit"] = 1                                      # immutable
    _write(secrets, "[ioc]\nrow_limit = 2600\n")                      # the file changed (size, mtime)
    assert settings.get("row_limit") == 2600 and len(loads) == 2
    monkeypatch.setenv("IOC_ROW_LIMIT", "7")                           # an IOC_ variable changed
    assert settings.get("row_limit") == 7 and len(loads) == 3
    assert settings.get("demo_seed") == 2026 and len(loads) == 3
    settings.reload()
    assert len(loads) == 4


def test_environment_beats_secrets_beats_default(secrets, monkeypatch):
    assert settings.get("row_limit") == 10000 and auth.config("cookie_name") == "ioc_dashboard"
    assert settings.is_embedded_demo("tasks")
    _write(secrets, '[ioc]\nrow_limit = 25\ntimezone = "Asia/Bangkok"\n[auth]\ncookie_name = "s"\n'
                    '[connections.tasks]\nurl = "sqlite:///from-secrets.sqlite"\n')
    assert settings.get("row_limit") == 25 and settings.get("timezone") == "Asia/Bangkok"
    assert auth.config("cookie_name") == "s"
    assert settings.source_url("tasks") == "sqlite:///from-secrets.sqlite" and not settings.is_embedded_demo("tasks")
    monkeypatch.setenv("IOC_ROW_LIMIT", "40")
    monkeypatch.setenv("IOC_COOKIE_NAME", "e")
    monkeypatch.setenv("IOC_TASKS_URL", "sqlite:///elsewhere.sqlite")
    assert settings.get("row_limit") == 40 and settings.get("timezone") == "Asia/Bangkok"
    assert auth.config("cookie_name") == "e"
    assert settings.source_url("tasks") == "sqlite:///elsewhere.sqlite"
    assert settings.source_url("procedures") == settings.default_url("procedures")


def test_values_are_converted_to_the_type_of_their_default(secrets, monkeypatch):
    _write(secrets, '[ioc]\nrow_limit = "25"\ndemo_seed = 7\n[auth]\ncookie_expiry_days = 2\nsession_minutes = " 90 "\n')
    monkeypatch.setenv("IOC_QUERY_TIMEOUT_SECONDS", "12")
    monkeypatch.setenv("IOC_LOCK_MINUTES", "30")
    assert settings.get("row_limit") == 25 and type(settings.get("row_limit")) is int
    assert settings.get("query_timeout_seconds") == 12 and type(settings.get("query_timeout_seconds")) is int
    assert auth.config("cookie_expiry_days") == 2.0 and type(auth.config("cookie_expiry_days")) is float
    assert auth.config("session_minutes") == 90 and auth.config("lock_minutes") == 30
    flag = settings.Setting("flag", False, "a switch")
    assert [settings._convert(flag, v, "flag") for v in ("1", "yes", "On", True, "0", "no", "", False)] == \
        [True, True, True, True, False, False, False, False]


@pytest.mark.parametrize("where, text, refused", [
    ("env", "abc", "IOC_ROW_LIMIT = 'abc' is not a whole number"),
    ("secrets", "[ioc]\nrow_limit = 2.5\n", "[ioc] row_limit = 2.5 is not a whole number"),
    ("secrets", "[auth]\ncookie_expiry_days = true\n", "[auth] cookie_expiry_days = True is not a number"),
    ("secrets", "[ioc]\ntimezone = [1]\n", "[ioc] timezone = [1] is not text"),
    ("env", "-1", "IOC_ROW_LIMIT = '-1' must be a finite number, 0 or more"),
    ("secrets", "[auth]\ncookie_expiry_days = nan\n", "[auth] cookie_expiry_days = nan must be a finite number"),
    ("secrets", "[auth]\nmax_delay_seconds = -5\n", "[auth] max_delay_seconds = -5 must be a finite number"),
    ("secrets", "[ioc]\ndemo_seed = -1\n", "[ioc] demo_seed = -1 must be a finite number, 0 or more"),
])
def test_a_value_of_the_wrong_type_is_refused_naming_it(secrets, monkeypatch, where, text, refused):
    if where == "env":
        monkeypatch.setenv("IOC_ROW_LIMIT", text)
    else:
        _write(secrets, text)
    with pytest.raises(settings.BadSettingValue) as caught:
        settings.check()
    assert refused in str(caught.value)


# -- unknown names are refused ---------------------------------------------------------------------
@pytest.mark.parametrize("text, named, suggested", [
    ("[ioc]\nrow_limt = 5\n", "[ioc] row_limt", "did you mean row_limit?"),
    ("[auth]\ncookie_expiry = 1\n", "[auth] cookie_expiry", "did you mean cookie_expiry_days?"),
    ("[auth]\nmax_failure = 3\n", "[auth] max_failure", "did you mean max_failures?"),
    ('[connections.task]\nurl = "sqlite:///x"\n', "[connections.task]", "did you mean [connections.tasks]?"),
    ('[connections.tasks]\nulr = "sqlite:///x"\n', "[connections.tasks] ulr", "did you mean url?"),
])
def test_an_unknown_name_in_secrets_is_refused_naming_it_and_the_close_one(secrets, text, named, suggested):
    _write(secrets, text)
    with pytest.raises(settings.UnknownSetting) as caught:
        settings.get("row_limit")                                    # whatever is asked for
    message = str(caught.value)
    assert named in message and suggested in message and str(secrets) in message
    assert "\n" not in message


def test_an_unknown_name_in_the_user_secrets_file_is_named_with_that_file(secrets, tmp_path):
    _write(tmp_path / "home-secrets.toml", "[ioc]\ndatadir = 'x'\n")
    with pytest.raises(settings.UnknownSetting, match=r"\[ioc\] datadir in .*home-secrets.toml; did you mean data_dir\?"):
        auth.config("cookie_key")


@pytest.mark.parametrize("var, suggested", [
    ("IOC_ROWLIMIT", "IOC_ROW_LIMIT"),
    ("IOC_COOKIE_KEYS", "IOC_COOKIE_KEY"),
    ("IOC_TASK_URL", "IOC_TASKS_URL"),
    ("IOC_REQUIRE_ENGINE", "IOC_REQUIRE_ENGINES"),
])
def test_an_unknown_ioc_environment_variable_is_refused(secrets, monkeypatch, var, suggested):
    monkeypatch.setenv(var, "1")
    with pytest.raises(settings.UnknownSetting) as caught:
        settings.check()
    assert str(caught.value) == f"unknown setting {var} in the environment; did you mean {suggested}?"
    monkeypatch.delenv(var)
    settings.check()                                                     # gone: accepted again


def test_an_unknown_name_without_a_close_one_says_where_to_look(secrets, monkeypatch):
    monkeypatch.setenv("IOC_ZZZ", "1")
    with pytest.raises(settings.UnknownSetting, match="IOC_ZZZ in the environment; the declared ones are in the README"):
        settings.check()


def test_every_declared_variable_and_the_test_harness_ones_are_accepted(secrets, monkeypatch):
    for name in settings.ENV_NAMES:
        monkeypatch.setenv(name, "1")
    snap = settings.check()
    assert snap.ioc["row_limit"] == 1 and snap.auth["max_failures"] == 1 and snap.sources["tasks"] == "1"


def test_asking_for_an_undeclared_name_is_refused(secrets):
    with pytest.raises(settings.UnknownSetting, match="did you mean row_limit"):
        settings.get("row_limits")
    with pytest.raises(settings.UnknownSetting, match="did you mean lock_minutes"):
        auth.config("lock_minute")


def test_the_command_line_says_it_in_one_line(secrets, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "IOC_USERSFILE": str(tmp_path / "u.yaml")}
    r = subprocess.run([sys.executable, "-m", "auth", "users", "list"], capture_output=True, text=True,
                       cwd=PROJECT_ROOT, env=env, timeout=60)
    assert r.returncode == 2
    assert r.stderr == ("python -m auth: error: unknown setting IOC_USERSFILE in the environment; "
                        "did you mean IOC_USERS_FILE?\n")
