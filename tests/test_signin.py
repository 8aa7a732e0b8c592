"""Sign-in and roles through the app (AppTest): nothing without sign-in, each role its
pages, unit heads held to their unit by the data layer, lockout with injected time,
sign-out, session expiry, and the refusal to serve real databases with demo settings."""

from __future__ import annotations

import pytest

from auth.audit import AuditLog
from data_access import catalogue
from tests.conftest import TEST_PASSWORD, app_test
from tests.test_downloads import offered  # noqa: F401  (a fixture)

RECEIVED = catalogue.get()["procedures.received"].name_vi


def sign_in(at, username: str, password: str):
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button[0].click()
    return at.run()


def figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def audit_events(tmp_path) -> list[tuple[str, str]]:
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    return [(r["event"], r["username"]) for r in log.recent()]


def test_no_page_shows_data_without_sign_in(app_db):
    at = app_test(None).run()
    assert not at.exception
    assert len(at.metric) == 0 and len(at.dataframe) == 0
    assert at.text_input(key="signin_username").label == "Tên đăng nhập"


def test_signing_in_with_the_form_opens_the_dashboard_and_is_audited(app_db, tmp_path):
    at = sign_in(app_test(None).run(), "lead", TEST_PASSWORD)
    assert not at.exception
    assert figures(at)[RECEIVED] == "25"
    assert ("login_ok", "lead") in audit_events(tmp_path)


def test_a_wrong_password_is_refused_and_audited(app_db, tmp_path):
    at = sign_in(app_test(None).run(), "lead", "wrong-password")
    assert len(at.metric) == 0
    assert any("không đúng" in e.value for e in at.error)
    assert ("login_failed", "lead") in audit_events(tmp_path)


def test_lockout_on_the_fifth_failure_lifts_after_the_window(app_db, tmp_path, auth_clock):
    import datetime as dt

    at = app_test(None).run()
    for attempt in range(1, 6):
        auth_clock.at = dt.datetime(2026, 6, 20, 14, 30 + attempt)
        at = sign_in(at, "heada", "wrong-password")
        locked = any("tạm khóa" in e.value for e in at.error)
        assert locked == (attempt == 5), attempt
    # The right password is refused while locked (14:35 + 15 min = 14:50) ...
    auth_clock.at = dt.datetime(2026, 6, 20, 14, 49, 59)
    at = sign_in(at, "heada", TEST_PASSWORD)
    assert len(at.metric) == 0 and any("tạm khóa" in e.value for e in at.error)
    # ... and accepted once the lock has run out.
    auth_clock.at = dt.datetime(2026, 6, 20, 14, 50)
    at = sign_in(at, "heada", TEST_PASSWORD)
    assert figures(at)[RECEIVED] == "20"                      # unit A's dossiers
    events = [e for e, u in audit_events(tmp_path) if u == "heada"]
    # One audit row for the burst of failures, one for the lock: not one per guess.
    assert events.count("login_failed") == 1 and events.count("lockout") == 1 and "login_ok" in events


ALL_PAGES = ("screens/procedures.py", "screens/tasks.py", "screens/emulation.py", "screens/presentation.py",
             "screens/reports.py", "screens/data_status.py")


@pytest.mark.parametrize("username, allowed", [
    ("root", set(ALL_PAGES)),
    ("lead", set(ALL_PAGES) - {"screens/data_status.py"}),
    ("heada", set(ALL_PAGES) - {"screens/data_status.py"}),
    ("screen", {"screens/presentation.py"}),
])
def test_each_role_can_open_exactly_its_pages(app_db, username, allowed):
    from streamlit.errors import StreamlitPageNotFoundError

    at = app_test(username).run()
    assert not at.exception and at.title[0].value == "Tổng quan"
    opened = set()
    for page in ALL_PAGES:
        probe = app_test(username).run()
        try:
            probe.switch_page(page).run()
        except (StreamlitPageNotFoundError, ValueError):   # not in this role's navigation: unreachable
            continue
        assert not probe.exception, page
        opened.add(page)
    assert opened == allowed


def test_a_unit_head_asking_for_another_unit_gets_their_own(app_db, tmp_path):
    at = app_test("headb")
    at.query_params["unit"] = "A"
    at.run()
    assert figures(at)[RECEIVED] == "5"                       # unit B's five April dossiers, not A's 20
    assert any("đơn vị mình" in w.value for w in at.warning)
    assert at.selectbox(key="w_unit").options == ["Cục Khoáng sản Việt Nam"]
    assert ("scope_ignored", "headb") in audit_events(tmp_path)


def test_a_unit_head_sees_ministry_rates_beside_their_own_for_comparison(app_db):
    on_time = catalogue.get()["procedures.on_time_rate"].name_vi
    ministry = figures(app_test("lead").run())[on_time]
    head = app_test("headb").run()
    assert figures(head)[on_time] != ministry
    assert f":material/account_balance: Toàn Bộ: {ministry}" in [c.value for c in head.caption]
    # leaders choose the whole ministry themselves: no comparison line
    assert not any("account_balance" in c.value for c in app_test("lead").run().caption)


def _all_text(at) -> str:
    shown = " ".join(str(getattr(e, "label", "")) + " " + str(e.value)
                     for e in (*at.markdown, *at.caption, *at.metric, *at.get("page_link")))
    tables = " ".join(str(v) for frame in at.dataframe for v in frame.value.astype(str).to_numpy().ravel())
    return shown + " " + tables


def test_the_viewer_sees_no_names_of_people_and_aggregates_only(app_db):
    due_title = "Xây dựng Nghị định quy định chi tiết Luật Địa chất và khoáng sản"   # due 24/06, unit A
    lead = app_test("lead").run()
    lead.switch_page("screens/tasks.py").run()
    assert due_title in _all_text(lead)                 # the leader's deadlines name the task
    at = app_test("screen").run()
    assert not at.exception
    text = _all_text(at)
    assert due_title not in text and "Nguyễn Thị Lan" not in text
    assert ":small[1 · Vụ Pháp chế]" in [m.value for m in at.markdown]      # the count per unit instead


def test_row_level_and_admin_queries_are_refused_by_the_data_door(app_db, monkeypatch):
    import datetime as dt

    from data_access.access import Principal
    from ui import data, status_view

    as_of = dt.datetime(2026, 6, 20, 14, 30)
    for role, rows_ok, admin_ok in (("viewer", False, False), ("leader", True, False), ("admin", True, True)):
        monkeypatch.setattr(data, "principal", lambda role=role: Principal("x", role))
        due = data.tasks_due(None, 7, 5, as_of=as_of)
        assert due.ok == rows_ok and (rows_ok or due.failed_source == "access"), role
        assert data.task_kpis(dt.date(2026, 1, 1), dt.date(2026, 6, 30), None, as_of=as_of).ok, role
        assert status_view.statuses(as_of=as_of).ok == admin_ok, role
    assert len(data.tasks_due(None, 7, 5, as_of=as_of).value) == 1          # the admin's: one task due


def test_sign_out_clears_the_session(app_db, tmp_path):
    at = app_test("lead").run()
    assert figures(at)[RECEIVED] == "25"
    at.button(key="sign_out").click().run()
    assert len(at.metric) == 0
    assert at.session_state["authentication_status"] is None and at.session_state["_principal"] is None
    assert ("logout", "lead") in audit_events(tmp_path)


def test_the_session_expires_after_the_configured_idle_time(app_db, monkeypatch, auth_clock):
    import datetime as dt

    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    at = app_test("lead").run()
    assert figures(at)[RECEIVED] == "25"
    auth_clock.at = dt.datetime(2026, 6, 20, 15, 0, 1)       # 30 min 1 s idle
    at.run()
    assert len(at.metric) == 0 and any("hết hạn" in w.value for w in at.warning)


def test_a_disabled_account_is_signed_out(app_db, tmp_path):
    import os

    from auth.users import UserStore

    at = app_test("lead").run()
    UserStore(__import__("pathlib").Path(os.environ["IOC_USERS_FILE"])).disable("lead")
    at.run()
    assert len(at.metric) == 0


def test_real_databases_are_refused_with_the_default_cookie_key(app_db, monkeypatch):
    monkeypatch.delenv("IOC_COOKIE_KEY")
    at = app_test("lead").run()
    assert not at.exception and len(at.metric) == 0
    assert any("khóa cookie" in m.value for m in at.markdown)


def test_an_export_is_written_to_the_audit_log(app_db, tmp_path, offered):
    at = app_test("lead").run()
    at.switch_page("screens/procedures.py").run()
    button = at.get("download_button")[0]
    assert button.proto.label == "Tải CSV"
    offered.fetch(next(n for n in offered if n.endswith(".csv")))
    assert not at.exception
    log = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}")
    exports = [r for r in log.recent() if r["event"] == "export"]
    assert len(exports) == 1 and exports[0]["username"] == "lead"
    assert exports[0]["detail"].endswith(".csv (2 rows)"), exports[0]["detail"]


def test_sign_in_is_refused_while_the_apps_own_database_is_down(app_db, monkeypatch):
    monkeypatch.setenv("IOC_APP_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = sign_in(app_test(None).run(), "lead", TEST_PASSWORD)
    assert not at.exception and len(at.metric) == 0
    assert any("cơ sở dữ liệu riêng của ứng dụng" in e.value for e in at.error)


# -- sessions on the server ---------------------------------------------------------------

def _store():
    import auth
    from auth.audit import shared
    from auth.sessions import SessionStore

    return SessionStore(shared(str(auth.config("app_db_url"))))


def test_signing_in_opens_a_session_on_the_server_that_ending_closes_at_once(app_db, tmp_path, auth_clock):
    at = sign_in(app_test(None).run(), "lead", TEST_PASSWORD)
    sid = at.session_state["_session"]
    row = _store().get(sid)
    assert row["username"] == "lead" and row["ended_at"] is None and row["address"] == "local"
    assert figures(at)[RECEIVED] == "25"
    # An administrator (or sign-out in another tab) ends it: the very next run shows the form.
    assert _store().end(sid, auth_clock(), "ended_by_admin")
    at.run()
    assert not at.exception and len(at.metric) == 0
    assert any("đã kết thúc" in w.value for w in at.warning)
    assert at.session_state["authentication_status"] is None
    assert audit_events(tmp_path)[0] == ("denied", "lead")


def test_signing_out_ends_the_session_on_the_server(app_db):
    at = app_test("lead").run()
    sid = at.session_state["_session"]
    at.button(key="sign_out").click().run()
    assert _store().get(sid)["end_reason"] == "logout"


def test_a_password_reset_ends_the_session_even_without_the_command_line(app_db, tmp_path):
    import os
    from pathlib import Path

    from auth.users import UserStore

    at = sign_in(app_test(None).run(), "heada", TEST_PASSWORD)
    assert figures(at)[RECEIVED] == "20"
    store = UserStore(Path(os.environ["IOC_USERS_FILE"]))
    store.reset_password("heada", TEST_PASSWORD)              # the same password, a new hash
    try:
        at.run()
        assert len(at.metric) == 0 and any("đã kết thúc" in w.value for w in at.warning)
        assert _store().get(at.session_state["_session"] or "") is None      # forgotten by the tab
    finally:
        store.reset_password("heada", TEST_PASSWORD)
    ended = [r for r in AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}").recent() if r["event"] == "denied"]
    assert ended and ended[0]["username"] == "heada"


def test_a_session_id_the_server_never_issued_shows_the_form(app_db):
    at = app_test("lead")
    at.session_state["_session"] = "f" * 64
    at.run()
    assert not at.exception and len(at.metric) == 0 and at.text_input(key="signin_username")


def test_guesses_from_one_address_on_many_usernames_are_slowed(app_db, tmp_path, auth_clock):
    at = app_test(None).run()
    for name in ("an", "binh", "chi", "dung", "giang"):
        at = sign_in(at, name, "wrong-password")
        assert any("không đúng" in e.value for e in at.error), name
    # The clock stands still: the sixth try comes within the delay and is held back unchecked.
    at = sign_in(at, "lead", TEST_PASSWORD)
    assert len(at.metric) == 0 and any("đợi 1 giây" in w.value for w in at.warning)
    events = audit_events(tmp_path)
    assert events.count(("login_failed", "an")) == 1 and ("login_ok", "lead") not in events


def test_an_admin_sees_open_sessions_and_ends_one(app_db, tmp_path):
    from tests.conftest import open_session

    victim = open_session("heada")
    at = app_test("root", page="screens/data_status.py").run()
    at.switch_page("screens/data_status.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    sessions = next(f for f in frames if "Người dùng" in f.columns)
    assert set(sessions["Người dùng"]) == {"heada", "root"}
    picker = at.selectbox(key="w_end_session")
    picker.select(next(o for o in picker.options if o.startswith("heada"))).run()
    at.button(key="end_session").click().run()
    assert not at.exception
    assert _store().get(victim)["end_reason"] == "ended_by_admin"
    assert any("heada" in s.value for s in at.success)
    events = AuditLog(f"sqlite:///{tmp_path / 'app_own.sqlite'}").recent()
    assert (events[0]["event"], events[0]["username"], events[0]["detail"]) == ("session_ended", "heada",
                                                                                "ended by root")
