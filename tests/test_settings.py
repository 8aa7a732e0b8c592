"""Every setting is documented in the README; the KPI catalogue names every KPI."""

from __future__ import annotations

import re

import pytest

import auth
from data_access import catalogue, settings
from data_access.settings import PROJECT_ROOT


@pytest.mark.parametrize("declared", [settings.SETTINGS, auth.AUTH_SETTINGS], ids=["ioc", "auth"])
def test_every_setting_is_documented_in_the_readme_with_its_default(declared):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for setting in declared:
        row = re.search(rf"^\| `{setting.name}` \| (.*?) \|", readme, re.M)
        assert row, f"setting {setting.name} is not in the README's table"
        shown = row.group(1).strip("` ")
        assert shown == (str(setting.default) or "empty"), setting.name


def test_environment_overrides_the_default(monkeypatch):
    monkeypatch.setenv("IOC_ROW_LIMIT", "25")
    assert settings.get("row_limit") == 25
    monkeypatch.setenv("IOC_TASKS_URL", "sqlite:///elsewhere.sqlite")
    assert settings.source_url("tasks") == "sqlite:///elsewhere.sqlite"
    assert not settings.is_embedded_demo("tasks")


def test_catalogue_has_every_kpi_and_the_766_weights():
    cat = catalogue.get()
    assert tuple(cat.kpis) == catalogue.KPI_IDS
    assert [i.indicator for i in cat.service_index] == ["1.4", "2.1", "3.3", "3.6", "4.2", "5.4"]
    assert sum(i.max for i in cat.service_index) == 48
    assert cat["procedures.on_time_rate"].target == 0.98


@pytest.mark.parametrize("value, status", [(0.99, "green"), (0.98, "green"), (0.96, "amber"), (0.95, "amber"),
                                           (0.9499, "red"), (None, None)])
def test_traffic_light_for_higher_is_better(value, status):
    assert catalogue.get()["procedures.on_time_rate"].status(value) == status


@pytest.mark.parametrize("value, status", [(0, "green"), (3, "amber"), (5, "amber"), (6, "red")])
def test_traffic_light_for_lower_is_better(value, status):
    assert catalogue.get()["tasks.in_progress_overdue"].status(value) == status


def test_a_catalogue_missing_a_kpi_is_refused(tmp_path):
    text = (PROJECT_ROOT / "config" / "kpis.toml").read_text(encoding="utf-8")
    broken = tmp_path / "kpis.toml"
    broken.write_text(text.replace('id = "tasks.assigned"', 'id = "tasks.assigned_typo"'), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError):
        catalogue.load(broken)
