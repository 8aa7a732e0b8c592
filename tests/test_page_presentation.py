"""The Presentation page (AppTest): the slides the link asks for, in its order, with the
KPI engine's figures; the kiosk link hides Streamlit's chrome; a bad parameter falls back
with a notice; the presentation screen's account sees no names of people."""

from __future__ import annotations

import datetime as dt
import re

from data_access import procedures
from data_access.db import Sources
from data_access.model import Period, Scope
from l10n import fmt
from tests.conftest import app_test
from ui import kiosk

AS_OF = dt.datetime(2026, 6, 20, 14, 30)
YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def open_presentation(username: str = "lead", **params):
    at = app_test(username)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("screens/presentation.py").run()
    return at


def slide_html(at) -> str:
    bodies = [e.proto.body for e in at.get("html") if "ioc-slide" in e.proto.body and "data-slide" in e.proto.body]
    assert len(bodies) == 1
    return bodies[0]


def test_the_first_chosen_slide_shows_the_engines_figures(app_db):
    at = open_presentation(slides="procedures,overview", interval="30")
    assert not at.exception
    body = slide_html(at)
    assert 'data-slide="procedures"' in body and "Trang 1/2" in body
    on_time = procedures.procedure_kpis(Sources.single(app_db).procedures, YEAR, AS_OF, Scope.ministry())[
        "procedures.on_time_rate"]
    assert fmt.percent(on_time, "vi") in body


def test_the_kiosk_link_hides_the_sidebar_and_toolbar(app_db):
    at = open_presentation(kiosk="1", slides="overview")
    css = " ".join(e.proto.body for e in at.get("html"))
    assert re.search(r'\[data-testid="stSidebar"\].*display: none', css, re.S)
    assert len(at.title) == 0                                 # the slide is all there is
    assert not any(b.proto.label.startswith("Tải bộ trình chiếu") for b in at.get("download_button"))


def test_a_bad_slide_list_falls_back_to_every_slide_with_a_notice(app_db):
    at = open_presentation(slides="overview,nonsense", interval="2")
    # each notice names the control the bad value stands for
    from ui.controls import bad_value_notice

    notices = [w.value for w in at.warning]
    assert bad_value_notice("slides", "vi") in notices and bad_value_notice("interval", "vi") in notices
    assert "Trang 1/5" in slide_html(at)


def test_the_viewer_runs_the_slides_without_names(app_db):
    at = open_presentation("screen", slides="overview,awards")
    assert not at.exception
    body = slide_html(at)
    assert 'data-slide="overview"' in body
    assert "Nguyễn Thị Lan" not in body


def test_the_clock_chooses_the_slide_for_every_screen_alike():
    # floor(epoch / interval) mod n: two screens opened at different moments agree
    assert [kiosk.position_at(e, 20, 3) for e in (1000.0, 1019.9, 1020.0, 1040.0, 1059.99, 1060.0)] == \
        [2, 2, 0, 1, 1, 2]
    # the browser's animation starts each slide at the phase the clock gives: slide i is
    # visible while (epoch - i × interval) mod (n × interval) < interval
    _, styles = kiosk.rotation_css(3, 20, 1030.0)
    delays = [float(re.search(r"step-end -([\d.]+)s", s).group(1)) for s in styles]
    assert delays == [10.0, 50.0, 30.0]            # slide 0 is 10 s into its turn, as position_at says
    assert all("ioc-turn-3-1030000 60s step-end" in s and "infinite" in s for s in styles)
    keyframes, _ = kiosk.rotation_css(3, 20, 1030.0)
    assert "ioc-turn-3-1030000 { 0% { visibility: visible; } 33.333333%, 100% { visibility: hidden; } }" in keyframes
    # a later render names its animation anew: the browser restarts it at the new phase
    assert kiosk.rotation_css(3, 20, 1090.5)[1][0].startswith("animation: ioc-turn-3-1090500 ")
    assert kiosk.rotation_css(1, 20, 1030.0) == ("", [""])     # one slide: always shown


def test_every_slide_of_the_link_is_sent_once_with_its_turn(app_db):
    at = open_presentation("screen", kiosk="1", slides="overview,tasks", interval="5")
    body = slide_html(at)
    assert [m for m in re.findall(r'data-slide="(\w+)"', body)] == ["overview", "tasks"]
    assert len(re.findall(r"animation: ioc-turn-2-\d+ 10s step-end", body)) == 2
    # the slides' typeface is the charts' own, sent with the page
    assert '@font-face { font-family: "DejaVu Sans"; font-weight: 400' in body
    assert "font-family: \"DejaVu Sans\"" in body


def test_the_slide_is_headed_by_the_ministry_the_data_names(app_db):
    import datetime as dt

    from tests.builders import Rows
    from ui import data

    assert "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG" in slide_html(open_presentation(slides="overview"))   # no ministry unit: built in
    rows = Rows(app_db)
    rows.unit("BNNMT", "Bộ Nông nghiệp và Môi trường", name_en="Ministry of Agriculture and Environment",
              kind="ministry", valid_from=dt.date(2025, 3, 1))
    rows.close()
    data.clear_caches()
    assert "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in slide_html(open_presentation(slides="overview"))
