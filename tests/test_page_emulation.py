"""The Emulation page shows the scoring engine's figures (AppTest, no browser).

Worked out by hand from the `app_db` fixture (as of 2026-06-20 14:30):
- tasks.on_time_rate per unit: A's one task done 20/02 before its 01/03 deadline → 1.0
  (its legal-document task, due 24/06, is in progress within deadline and not counted);
  B's task was due 01/05 and is still open → overdue → 0 / 1 = 0.0.
- H1 2026: A = (55 + 40 × 1.0) / (60 + 40) = 95.0; B = (50 + 40 × 0.0) / 100 = 50.0.
- FY 2026: A = (58 + 40) / 100 = 98.0; B has no FY evaluation row, so only the metric
  criterion applies: 0 / 40 = 0.0.
- 2025 (criterion 3 by hand, FY only): B 90 → rank 1, A 80 → rank 2; no H1 results.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_access import emulation, figures
from data_access.db import Sources
from data_access.model import Scope
from l10n import fmt
from l10n.i18n import enum, t
from tests.conftest import app_test

AS_OF = dt.datetime(2026, 6, 20, 14, 30)
NAMES = {"vi": {"A": "Vụ Pháp chế", "B": "Cục Khoáng sản Việt Nam"},
         "en": {"A": "Department of Legal Affairs", "B": "Viet Nam Department of Minerals"}}


def open_page(lang: str = "vi", user: str = "lead", **params) -> AppTest:
    at = app_test(user)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("screens/emulation.py").run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str):
    """The first table that has a column with this heading."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def ranking(at: AppTest, lang: str) -> list[tuple[str, str, str, str, str]]:
    frame = table(at, t("emulation.col_previous_rank", lang, year=2025))
    return [tuple(row) for row in frame.itertuples(index=False)]


def engine_rows(url: str, year: int, code: str, lang: str) -> list[tuple[str, str, str]]:
    sources = Sources.single(url)
    movement = emulation.movement_for_year(sources.emulation, year)
    return [(str(r["rank"]) if r["rank"] else t("emulation.unranked", lang), NAMES[lang][r["unit"]],
             fmt.number(r["score"], lang, 1))
            for r in figures.evaluate_movement(sources, movement, code, AS_OF, Scope.ministry())[0]]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ranking_is_the_engines_and_compares_with_last_year(app_db, lang):
    at = open_page(lang)                       # "this year" ends 31/12 → full year by default
    assert at.radio[0].value == "FY"
    rows = ranking(at, lang)
    assert [r[:3] for r in rows] == engine_rows(app_db, 2026, "FY", lang)
    d = "," if lang == "vi" else "."
    up, down = t("emulation.change_up", lang, n=1), t("emulation.change_down", lang, n=1)
    # B has no FY row for its hand-scored criterion yet: its score stands on the automatic
    # one alone and says so
    waiting = t("emulation.provisional", lang, scored=1, total=2)
    assert waiting == ("tạm tính · 1/2 tiêu chí" if lang == "vi" else "provisional · 1/2 criteria")
    assert rows == [("1", NAMES[lang]["A"], f"98{d}0", "", "2", up),      # A: 2nd in 2025, up one place
                    ("2", NAMES[lang]["B"], f"0{d}0", waiting, "1", down)]     # B: 1st in 2025, down one
    assert table(at, t("emulation.col_provisional", lang)) is not None
    assert t("emulation.provisional_note", lang) in [c.value for c in at.caption]

    at.radio[0].set_value("H1").run()          # the choice changes the scores
    assert not at.exception
    rows = ranking(at, lang)
    assert [r[:3] for r in rows] == engine_rows(app_db, 2026, "H1", lang)
    # every H1 criterion scored: nothing provisional, no note column
    assert rows == [("1", NAMES[lang]["A"], f"95{d}0", "—", "—"),     # no H1 results in 2025
                    ("2", NAMES[lang]["B"], f"50{d}0", "—", "—")]
    assert t("emulation.provisional_note", lang) not in [c.value for c in at.caption]
    assert any(t("emulation.no_previous", lang, year=2025) == c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_points_by_criterion_mark_automatic_and_hand_scored(app_db, lang):
    at = open_page(lang, period="h1")          # first half ends 30/06 → H1 by default
    assert at.radio[0].value == "H1"
    hand = t("emulation.criterion_header", lang, code="1.1", mark="✍", max="60")
    auto = t("emulation.criterion_header", lang, code="4.1", mark="⚙", max="40")
    total = t("emulation.col_score_100", lang)
    frame = table(at, auto)
    d = "," if lang == "vi" else "."
    shown = {row[t("emulation.col_unit", lang)]: (row[hand], row[auto], row[total]) for _, row in frame.iterrows()}
    assert shown == {NAMES[lang]["A"]: (f"55{d}0", f"40{d}0", f"95{d}0"),
                     NAMES[lang]["B"]: (f"50{d}0", f"0{d}0", f"50{d}0")}
    at.radio[0].set_value("FY").run()
    frame = table(at, auto)
    shown = {row[t("emulation.col_unit", lang)]: (row[hand], row[auto], row[total]) for _, row in frame.iterrows()}
    assert shown[NAMES[lang]["B"]] == ("—", f"0{d}0", f"0{d}0")   # no FY row for B: criterion does not apply


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_movement_contents_and_headline(app_db, lang):
    at = open_page(lang)
    # named under the title; its contents close the page, after the ranking
    name = "Phong trào 2026" if lang == "vi" else "Movement 2026"
    assert at.caption[0].value == name and at.subheader[-1].value == name
    text = " ".join(m.value for m in at.markdown)
    assert ("Kỷ cương" if lang == "vi" else "Discipline") in text
    for number in range(1, 7):
        assert t(f"emulation.content_{number}", lang) in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("emulation.metric_units", lang)] == "2"
    assert metrics[t("emulation.metric_awards", lang)] == "2"
    d = "," if lang == "vi" else "."
    assert metrics[t("emulation.metric_mean_score", lang, period=enum("evaluation_period", "FY", lang))] == f"49{d}0"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_awards_list_names_the_title_in_the_language(app_db, lang):
    at = open_page(lang)
    frame = table(at, t("emulation.col_recipient", lang))
    rows = {row[t("emulation.col_recipient", lang)]: row for _, row in frame.iterrows()}
    lan = rows["Nguyễn Thị Lan"]
    assert lan[t("emulation.col_title", lang)] == ("Lao động tiên tiến" if lang == "vi" else "Advanced worker")
    assert lan[t("emulation.col_kind", lang)] == enum("recipient_kind", "individual", lang)
    assert lan[t("emulation.col_unit", lang)] == NAMES[lang]["B"]
    assert lan[t("emulation.col_decision", lang)] == "1/QĐ-BTNMT"
    assert str(lan[t("emulation.col_date", lang)])[:10] == "2026-01-15"
    assert len(frame) == 2
    assert any(t("emulation.awards_total", lang, n="2", collective="1", individual="1") == c.value for c in at.caption)


def test_a_unit_sees_its_own_score_and_rank(app_db):
    at = open_page("vi", period="h1", unit="B")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("emulation.metric_unit_score", "vi", period="6 tháng đầu năm")] == "50,0"
    rank = next(m for m in at.metric if m.label == t("emulation.metric_unit_rank", "vi"))
    assert f"{rank.value} {rank.delta}" == "2/2 trong Khối 1"
    awards = table(at, t("emulation.col_recipient", "vi"))
    assert list(awards[t("emulation.col_recipient", "vi")]) == ["Nguyễn Thị Lan"]


def test_a_year_without_movement_says_so(app_db):
    at = open_page("vi", period="custom", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert any(t("emulation.no_movement", "vi", year=2024) == i.value for i in at.info)
    assert not [r for r in at.radio if r.key != "w_structure"]      # no evaluation choice
    assert any(t("emulation.no_awards", "vi") == i.value for i in at.info)


def test_unreachable_emulation_source_is_named(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_EMULATION_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    at = open_page("vi")
    assert [e.value for e in at.error] == [t("source_failed", "vi", source=t("source_emulation", "vi"))]
    assert not at.dataframe


def test_unreachable_tasks_source_is_named_and_awards_still_shown(app_db, monkeypatch, tmp_path):
    monkeypatch.setenv("IOC_TASKS_URL", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    at = open_page("en")
    assert at.error and all(e.value == t("source_failed", "en", source=t("source_tasks", "en")) for e in at.error)
    assert "Nguyễn Thị Lan" in list(table(at, t("emulation.col_recipient", "en"))[t("emulation.col_recipient", "en")])


@pytest.mark.parametrize("user, unit, rank, mark", [("heada", "A", "1/2 trong Khối 1", None),
                                                    ("headb", "B", "2/2 trong Khối 1", "tạm tính · 1/2 tiêu chí")])
def test_a_unit_heads_rank_reads_against_the_whole_block(app_db, user, unit, rank, mark):
    """A unit head's queries hold their own unit's rows only: the rank card still counts
    the whole block (it read "1/1" and "2/1") and names it; a provisional score says so."""
    at = open_page("vi", user=user)
    cards = {m.label: m for m in at.metric}
    card = cards[t("emulation.metric_unit_rank", "vi")]
    assert f"{card.value} {card.delta}" == rank                  # "1/2" over "trong Khối 1"
    score = cards[t("emulation.metric_unit_score", "vi", period=enum("evaluation_period", "FY", "vi"))]
    assert (score.delta or None) == mark
    # the ranking shown is the unit's block, headed by its name
    assert "**Khối 1**" in [m.value for m in at.markdown]
