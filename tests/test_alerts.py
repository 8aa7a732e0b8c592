"""Alerts by e-mail: a real SMTP server (aiosmtpd on 127.0.0.1:8025, started and stopped
here) receives what `python -m alerts run` sends. The tasks a message lists are the
engine's own list for the recipient's scope, on SQLite, PostgreSQL and MariaDB (the
outbox in the same database, so its unique key is tested on each); a second run sends
nothing; with the server down the run exits 3 and the next sends everything once; a unit
head never gets another unit's items; the attachments open."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import re

import pytest
import sqlalchemy as sa

from data_access import lists
from data_access.db import Sources
from data_access.model import Scope

from .builders import D

SMTP_PORT = 8025
AS_OF = "2026-06-17 10:00:00"             # a Wednesday
TODAY = dt.date(2026, 6, 17)
USERS = {
    "heada": ("unit_head", "A", "Vụ trưởng Lê Thị Hạnh"),
    "headb": ("unit_head", "B", "Cục trưởng Phạm Văn Đức"),
    "lead": ("leader", None, "Thứ trưởng Trần Văn Minh"),
    "root": ("admin", None, "Quản trị viên"),
    "screen": ("viewer", None, "Màn hình phòng họp"),
    "bad": ("unit_head", "B", "Hộp thư không tồn tại"),
}
REJECTED = "bad@example.gov.vn"


class Inbox:
    """What the test server received; refuses REJECTED for good (550)."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REJECTED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    def take(self) -> list[tuple[list[str], email.message.EmailMessage]]:
        out, self.messages = self.messages, []
        return out


class Server:
    def __init__(self):
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="module")
def smtp():
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def alert_users(tmp_path_factory):
    from auth.users import UserStore

    path = tmp_path_factory.mktemp("alert_users") / "users.yaml"
    store = UserStore(path)
    for username, (role, unit, name) in USERS.items():
        store.add(username, name=name, email=f"{username}@example.gov.vn", role=role, unit=unit,
                  password="Thu-nghiem-2026")
    return path


def _data(rows):
    rows.unit("BO", "Bộ Thử nghiệm", name_en="Ministry of Testing", kind="ministry")
    rows.unit("A", "Vụ Pháp chế", name_en="Department of Legal Affairs")
    rows.unit("B", "Cục Khoáng sản Việt Nam", name_en="Viet Nam Department of Minerals")
    rows.procedure("P1", unit_code="A")
    assigned = D(2026, 2, 1, 9)
    rows.task(assigned, dt.date(2026, 6, 20), None, title_vi="Báo cáo Nghị quyết 01/NQ-CP", ref="01/NQ-CP")
    rows.task(assigned, dt.date(2026, 6, 20), None, title_vi="Dự thảo Thông tư hướng dẫn", ref="12/TB-VPCP",
              progress_pct=40)
    rows.task(assigned, dt.date(2026, 6, 19), None, title_vi="Nhiệm vụ còn hai ngày")
    rows.task(assigned, dt.date(2026, 6, 24), None, title_vi="Nhiệm vụ còn bảy ngày")
    rows.task(assigned, dt.date(2026, 6, 16), None, title_vi="Nhiệm vụ quá hạn từ hôm qua")
    rows.task(assigned, dt.date(2026, 6, 20), D(2026, 6, 1, 9), title_vi="Đã hoàn thành, không nhắc")
    rows.task(assigned, dt.date(2026, 6, 20), None, lead_unit_code="B",
              title_vi="Khoáng sản <script>alert(1)</script> & đấu giá", title_en="Minerals <b>auction</b>")
    rows.dossier(D(2026, 6, 1, 9), due_at=D(2026, 6, 5, 9))


@pytest.fixture
def env(rows, smtp, alert_users, tmp_path, monkeypatch):
    """The test database of each engine as the three sources and as the app's own
    database (the outbox's tables emptied), the clock at AS_OF, the SMTP server as the
    mail server."""
    yield from _env(rows, smtp, alert_users, tmp_path, monkeypatch)


@pytest.fixture
def sqlite_env(sqlite_rows, smtp, alert_users, tmp_path, monkeypatch):
    """The same on SQLite alone, for what does not depend on the engine (exit statuses,
    attachments, the mail server going down)."""
    yield from _env(sqlite_rows, smtp, alert_users, tmp_path, monkeypatch)


def _env(rows, smtp, alert_users, tmp_path, monkeypatch):
    from data_access import db as dbmod
    from data_access import organisation
    from alerts import deliver, store as store_mod

    organisation.forget()

    _data(rows)
    for source in ("PROCEDURES", "TASKS", "EMULATION"):
        monkeypatch.setenv(f"IOC_{source}_URL", rows.url)
    monkeypatch.setenv("IOC_APP_DB_URL", rows.url)
    monkeypatch.setenv("IOC_AS_OF", AS_OF)
    users = tmp_path / "users.yaml"
    users.write_bytes(alert_users.read_bytes())
    monkeypatch.setenv("IOC_USERS_FILE", str(users))
    monkeypatch.setenv("IOC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("IOC_SMTP_PORT", str(SMTP_PORT))
    monkeypatch.setenv("IOC_SMTP_SECURITY", "none")
    monkeypatch.setenv("IOC_MAIL_FROM", "Văn phòng Bộ <ioc@example.gov.vn>")
    monkeypatch.setenv("IOC_BASE_URL", "https://ioc.example.gov.vn/")
    monkeypatch.setattr(deliver, "BACKOFF_SECONDS", 0.01)
    store = store_mod.Store(rows.url)
    with store.engine.begin() as conn:
        for table in reversed(store_mod.METADATA.sorted_tables):
            conn.execute(table.delete())
        conn.execute(sa.text("DELETE FROM audit"))
    smtp.inbox.take()
    yield store
    store.log.dispose()
    store_mod._CREATED.discard(rows.url)
    dbmod.dispose_all()


def run_cli(*args: str) -> int:
    from alerts.cli import main

    return main(list(args))


def by_rule(received) -> dict[tuple[str, str], email.message.EmailMessage]:
    out = {}
    for rcpts, msg in received:
        assert len(rcpts) == 1
        key = (msg["X-IOC-Rule"], rcpts[0].split("@")[0])
        assert key not in out, f"{key} received twice"
        out[key] = msg
    return out


def text_of(msg, subtype="plain") -> str:
    return msg.get_body(preferencelist=(subtype,)).get_content()


def test_run_sends_the_engines_due_list_once_per_scope(env, smtp, rows):
    assert run_cli("run") == 0
    got = by_rule(smtp.inbox.take())
    sources = Sources.single(rows.url)
    as_of = dt.datetime.fromisoformat(AS_OF)
    for user, unit in (("heada", "A"), ("headb", "B")):
        expected = lists.tasks_due_within(sources.tasks, as_of, Scope.of_unit(unit), 3)
        expected = expected[expected["days_left"] == 3]
        msg = got[("tasks_due_3", user)]
        assert msg["To"].addresses[0].addr_spec == f"{user}@example.gov.vn"
        name = {"A": "Vụ Pháp chế", "B": "Cục Khoáng sản Việt Nam"}[unit]
        assert msg["Subject"] == f"[Nhắc việc] {len(expected)} nhiệm vụ đến hạn trong 3 ngày — {name}"
        plain = text_of(msg)
        listed = re.findall(r"^• (.*?) · ", plain, re.M)
        assert listed == list(expected["title_vi"])
        # every item links to the Tasks page's deadlines in the unit's view
        assert f"https://ioc.example.gov.vn/tasks?lang=vi&period=year&unit={unit}&structure=current&section=deadlines" \
            in plain
    assert len(re.findall(r"^• ", text_of(got[("tasks_due_3", "heada")]), re.M)) == 2
    # a unit head never receives another unit's items
    for (rule, user), msg in got.items():
        body = text_of(msg) + text_of(msg, "html")
        if user == "heada":
            assert "Khoáng sản" not in body and "unit=B" not in body
        if user == "headb":
            assert "Nghị quyết 01" not in body and "unit=A" not in body
    # source text escaped in the HTML part, whole in the plain one
    html_b = text_of(got[("tasks_due_3", "headb")], "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; đấu giá" in html_b and "<script>" not in html_b
    assert "Khoáng sản <script>alert(1)</script> & đấu giá" in text_of(got[("tasks_due_3", "headb")])
    assert got[("tasks_due_7", "heada")]["Subject"].startswith("[Nhắc việc] 1 nhiệm vụ đến hạn trong 7 ngày")
    assert got[("tasks_overdue_new", "heada")]["Subject"] == \
        "[Nhắc việc] 1 nhiệm vụ quá hạn từ hôm qua — Vụ Pháp chế"
    assert "Nhiệm vụ quá hạn từ hôm qua" in text_of(got[("tasks_overdue_new", "heada")])
    assert ("tasks_due_1", "heada") not in got                    # nothing due tomorrow
    assert not any(user == "screen" for _, user in got)           # the viewer gets no lists
    # the permanent refusal is recorded, the rest sent; every send audited
    counts = env.counts()
    assert counts["failed"] == 1 and counts["pending"] == 0 and counts["sent"] == len(got)
    assert [m["address"] for m in env.messages("failed")] == [REJECTED]
    with env.engine.connect() as conn:
        events = conn.execute(sa.text("SELECT event, COUNT(*) FROM audit GROUP BY event")).all()
    assert dict(events) == {"alert_sent": len(got), "alert_failed": 1}
    # a second run (or a second server) sends nothing
    assert run_cli("run") == 0
    assert smtp.inbox.take() == []
    assert env.counts()["sent"] == len(got)


def test_smtp_down_exits_3_and_the_next_run_sends_everything_once(sqlite_env, smtp, monkeypatch):
    env = sqlite_env
    smtp.stop()
    try:
        assert run_cli("run") == 3
    finally:
        smtp.start()
    pending = env.counts()["pending"]
    assert pending >= 4 and env.counts()["sent"] == 0
    assert env.runs()[0]["outcome"] == "smtp_unreachable"
    assert run_cli("run") == 0
    got = by_rule(smtp.inbox.take())
    assert len(got) == pending - 1                      # all but the refused address, once each
    assert env.counts() == {"pending": 0, "sending": 0, "sent": pending - 1, "failed": 1}
    assert run_cli("run") == 0
    assert smtp.inbox.take() == []


def test_two_runs_cannot_both_keep_the_same_message(env):
    kept = [env.enqueue(rule="tasks_due_3", recipient="heada", item="A", day=TODAY, address="heada@example.gov.vn",
                        subject="s", message=b"m", now=dt.datetime(2026, 6, 17, 10), run_id=None) for _ in range(2)]
    assert kept == [True, False]
    first = env.due(dt.datetime(2026, 6, 17, 10))[0]
    assert env.claim(first.id, dt.datetime(2026, 6, 17, 10), 1) is True
    assert env.claim(first.id, dt.datetime(2026, 6, 17, 10), 2) is False


def test_opt_out_language_and_kpi_crossing(env, smtp):
    env.set_subscription("heada", "tasks_due_3", False, dt.datetime(2026, 6, 17, 9), "heada")
    env.set_language("headb", "en", dt.datetime(2026, 6, 17, 9))
    # The leader's KPI was green at the last run: now that it is not, the leader is told.
    env.set_states({"kpi_status:kpi_status:tasks.on_time_rate:ministry": "green"}, dt.datetime(2026, 6, 16, 9))
    assert run_cli("run") == 0
    got = by_rule(smtp.inbox.take())
    assert ("tasks_due_3", "heada") not in got and ("tasks_due_7", "heada") in got
    english = got[("tasks_due_3", "headb")]
    assert english["Subject"] == "[Reminder] Tasks due in 3 days: 1 — Viet Nam Department of Minerals"
    assert "Minerals &lt;b&gt;auction&lt;/b&gt;" in text_of(english, "html")
    kpi = got[("kpi_status", "lead")]
    assert kpi["Subject"].startswith("[Cảnh báo] 1 chỉ tiêu chuyển sang vàng hoặc đỏ — Bộ Thử nghiệm")
    assert "Tỷ lệ" in text_of(kpi) and "https://ioc.example.gov.vn/?lang=vi" in text_of(kpi)


def test_attachments_open_and_dry_run_writes_eml(sqlite_env, smtp, tmp_path, monkeypatch):
    env = sqlite_env
    from openpyxl import load_workbook
    from pypdf import PdfReader

    # The Wednesday before the Sunday 14 June cut-off: three working days before it.
    monkeypatch.setenv("IOC_AS_OF", "2026-06-10 08:00:00")
    out = tmp_path / "eml"
    assert run_cli("run", "--dry-run", "--out", str(out)) == 0
    assert smtp.inbox.take() == [] and env.counts()["pending"] == 0      # nothing sent or kept
    files = {p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in out.iterdir()}
    office = next(m for name, m in files.items() if "cutoff_reminder_root" in name)
    assert office["Subject"] == ("[Báo cáo] Kỳ báo cáo Chính phủ chốt ngày 14/06/2026, còn 3 ngày làm việc — "
                                 "Bộ Thử nghiệm")
    parts = {p.get_filename(): p.get_content() for p in office.iter_attachments()}
    assert set(parts) == {"bao-cao-chi-tieu_2026-05-15_2026-06-14.xlsx", "bao-cao-chi-tieu_2026-05-15_2026-06-14.pdf"}
    wb = load_workbook(io.BytesIO(parts["bao-cao-chi-tieu_2026-05-15_2026-06-14.xlsx"]))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "tasks.on_time_rate" in cells
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(parts["bao-cao-chi-tieu_2026-05-15_2026-06-14.pdf"])).pages)
    assert "BỘ THỬ NGHIỆM" in pdf.upper()
    # The weekly summary of Monday 15 June, with the deck.
    monkeypatch.setenv("IOC_AS_OF", "2026-06-15 08:00:00")
    assert run_cli("run") == 0
    got = by_rule(smtp.inbox.take())
    weekly = got[("weekly_summary", "lead")]
    assert weekly["Subject"] == "[Báo cáo] Tóm tắt tuần 25/2026 — Bộ Thử nghiệm"
    (deck,) = list(weekly.iter_attachments())
    assert deck.get_filename() == "trinh-chieu-2026-01-01-2026-12-31.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(deck.get_content())).pages)
    assert "Bộ Thử nghiệm".upper() in text.upper()


@pytest.mark.parametrize("args, env_vars", [
    (("run", "--dry-run"), {}),
    (("run", "--out", "x"), {}),
    (("preview", "--user", "nobody"), {}),
    (("run",), {"IOC_SMTP_SECURITY": "tls"}),
    (("run",), {"IOC_SMTP_HOST": ""}),
    (("frobnicate",), {}),
])
def test_bad_arguments_exit_2(sqlite_env, args, env_vars, monkeypatch, capsys):
    for name, value in env_vars.items():
        monkeypatch.setenv(name, value)
    try:
        status = run_cli(*args)
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1


def test_unreachable_source_exits_3(sqlite_env, monkeypatch, capsys):
    env = sqlite_env
    monkeypatch.setenv("IOC_TASKS_URL", "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    assert run_cli("run") == 3
    assert "tasks" in capsys.readouterr().err
    assert env.runs()[0]["outcome"] == "source_unreachable"


def test_preview_prints_what_the_user_gets(sqlite_env, capsys):
    assert run_cli("preview", "--user", "heada") == 0
    out = capsys.readouterr().out
    assert "Subject: [Nhắc việc] 2 nhiệm vụ đến hạn trong 3 ngày — Vụ Pháp chế" in out
    assert "Khoáng sản" not in out


def test_catalogue_is_checked():
    from alerts import rules

    shipped = rules.load()
    assert {r.id for r in shipped} >= {"tasks_due_7", "tasks_due_3", "tasks_due_1", "tasks_overdue_new",
                                       "dossiers_overdue_rise", "kpi_status", "weekly_summary", "cutoff_reminder"}
    good = {"id": "x", "name_vi": "X", "name_en": "X", "audience": {"role": "unit_head"},
            "trigger": {"kind": "tasks_due", "days": 3}, "template": "list"}
    assert rules.parse({"rule": [good]})[0].params["days"] == 3
    for broken, words in [({"trigger": {"kind": "tasks_due"}}, "needs 'days'"),
                          ({"trigger": {"kind": "nope"}}, "trigger kind"),
                          ({"audience": {"role": "boss"}}, "audience role"),
                          ({"audience": {"role": "viewer"}}, "aggregate figures only"),
                          ({"trigger": {"kind": "tasks_due", "days": 0}}, "1 … 366"),
                          ({"colour": "red"}, "unknown key")]:
        with pytest.raises(rules.RuleError, match=re.escape(words)):
            rules.parse({"rule": [{**good, **broken}]})
    with pytest.raises(rules.RuleError, match="two rules"):
        rules.parse({"rule": [good, good]})


# --- the "Thông báo" page and Data status (AppTest) -------------------------------------------
def open_page(username: str, page: str):
    from tests.conftest import app_test

    at = app_test(username)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def save(at) -> None:
    next(b for b in at.button if b.label == "Lưu").click().run()
    assert not at.exception


def test_notifications_page_a_user_changes_their_own(app_db):
    from alerts.store import Store

    at = open_page("heada", "screens/notifications.py")
    assert at.title[0].value == "Thông báo qua thư điện tử"
    assert any("heada@example.gov.vn" in m.value.replace("\\", "").replace("\u2060", "") for m in at.markdown)
    labels = [tg.label for tg in at.toggle]
    assert labels == ["Nhiệm vụ đến hạn trong 7 ngày", "Nhiệm vụ đến hạn trong 3 ngày", "Nhiệm vụ đến hạn ngày mai",
                      "Nhiệm vụ quá hạn từ hôm qua", "Hồ sơ quá hạn tăng"]
    assert all(tg.value for tg in at.toggle)                     # subscribed until they opt out
    assert not [s for s in at.selectbox if s.key == "w_alert_account"]     # no other account to pick
    at.toggle[1].set_value(False)
    at.radio(key="w_alert_lang_heada").set_value("en")
    save(at)
    assert not at.exception
    store = Store()
    assert store.opted() == {("heada", "tasks_due_3"): False}
    assert store.languages() == {"heada": "en"}
    assert at.success and at.toggle[1].value is False


def test_notifications_page_an_admin_manages_anyone(app_db):
    from alerts.store import Store

    at = open_page("root", "screens/notifications.py")
    at.selectbox(key="w_alert_account").set_value("lead").run()
    assert [tg.label for tg in at.toggle] == ["Chỉ tiêu chuyển sang vàng hoặc đỏ", "Báo cáo tóm tắt hằng tuần"]
    at.toggle[1].set_value(False)
    save(at)
    assert Store().opted() == {("lead", "weekly_summary"): False}
    viewer = open_page("screen", "screens/notifications.py")
    assert not viewer.toggle and any("không có thông báo" in c.value for c in viewer.caption)


def test_data_status_shows_the_last_runs_and_what_is_not_sent(app_db):
    import datetime as dt

    from alerts.store import Store

    store = Store()
    now = dt.datetime(2026, 6, 20, 8)
    run_id = store.start_run(now)
    store.enqueue(rule="tasks_due_3", recipient="heada", item="A", day=now.date(), address="heada@example.gov.vn",
                  subject="[Nhắc việc] 2 nhiệm vụ đến hạn trong 3 ngày — Vụ Pháp chế", message=b"x", now=now,
                  run_id=run_id)
    store.finish_run(run_id, now, queued=1, sent=0, failed=0, outcome="smtp_unreachable", detail="down")
    at = open_page("root", "screens/data_status.py")
    assert "Thư thông báo" in [h.value for h in at.header]
    assert any(c.value == "Đã gửi: 0 · Lỗi không gửi được: 0 · Đang chờ gửi: 1" for c in at.caption)
    frames = [d.value for d in at.dataframe]
    runs = next(f for f in frames if "Kết quả" in f.columns)
    assert list(runs["Kết quả"]) == ["không kết nối được máy chủ thư"] and list(runs["Đang chờ"]) == [1]
    unsent = next(f for f in frames if "Tiêu đề" in f.columns)
    assert list(unsent["Trạng thái"]) == ["đang chờ gửi"]


# --- STARTTLS and SSL with a sign-in ----------------------------------------------------------
@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, trusted by the client through
    SSL_CERT_FILE (what `ssl.create_default_context` reads)."""
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize("security, port", [("starttls", 8027), ("ssl", 8028)])
def test_starttls_and_ssl_with_a_sign_in(sqlite_env, certificate, security, port, monkeypatch):
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        # handled=False: the server answers a refusal with 535 (else it waits, and so would we)
        return AuthResult(success=auth_data.login == b"ioc" and auth_data.password == b"Mat-khau-thu", handled=False)

    inbox = Inbox()
    # (aiosmtpd does not count a connection wrapped in SSL as TLS for auth_require_tls)
    extra = ({"tls_context": context, "require_starttls": True, "auth_require_tls": True} if security == "starttls"
             else {"ssl_context": context, "auth_require_tls": False})
    server = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                        server_hostname="127.0.0.1", **extra)
    server.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        monkeypatch.setenv("IOC_SMTP_PORT", str(port))
        monkeypatch.setenv("IOC_SMTP_SECURITY", security)
        monkeypatch.setenv("IOC_SMTP_USER", "ioc")
        monkeypatch.setenv("IOC_SMTP_PASSWORD", "wrong")
        assert run_cli("run") == 3                       # a refused sign-in: nothing sent, all kept
        assert inbox.messages == [] and sqlite_env.counts()["pending"] >= 4
        monkeypatch.setenv("IOC_SMTP_PASSWORD", "Mat-khau-thu")
        assert run_cli("run") == 0
    finally:
        server.stop()
    assert (b"ioc", b"Mat-khau-thu") in seen
    got = by_rule(inbox.take())
    assert ("tasks_due_3", "heada") in got and sqlite_env.counts()["pending"] == 0


def test_two_runs_at_once_send_each_message_once(env, smtp, rows):
    """Two runs started together (two cron hosts) on one outbox: every message once."""
    import threading

    from alerts import run as runner
    from alerts.store import Store

    results, errors = [], []

    def one():
        try:
            results.append(runner.run(Store(rows.url), sources=Sources.single(rows.url)))
        except Exception as exc:        # reported below, with the engine's words
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors
    got = by_rule(smtp.inbox.take())                   # by_rule fails on a message received twice
    assert ("tasks_due_3", "heada") in got and ("tasks_due_3", "headb") in got
    assert sum(r.sent for r in results) == len(got) == env.counts()["sent"]
    assert sum(r.queued for r in results) == len(got) + 1          # and the refused one, kept once


def test_a_task_of_a_unit_merged_away_is_listed_under_the_unit_answering_for_it(tmp_path, monkeypatch):
    # As the Tasks page lists it in the current structure: under the heir, the unit it
    # was assigned to beside it, the link to the heir's view.
    from alerts import message
    from alerts.engine import Context
    from tests.builders import Rows

    monkeypatch.setenv("IOC_BASE_URL", "https://ioc.example.gov.vn")
    rows = Rows.new_sqlite(tmp_path / "merged.sqlite")
    rows.unit("B", "Cục Địa chất và Khoáng sản Việt Nam")
    rows.unit("C", "Cục Khoáng sản Việt Nam", valid_to=dt.date(2025, 2, 28))
    rows.succession("C", "B", dt.date(2025, 3, 1))
    ctx = Context(Sources.single(rows.url), dt.datetime.fromisoformat(AS_OF))
    task = {"title_vi": "Báo cáo thu tiền cấp quyền", "ref": "32/TB", "source": "ministry_leaders",
            "lead_unit_code": "C", "due_date": dt.date(2026, 6, 20), "days_left": 3, "progress_pct": 75}
    (cells, href), = message._task_rows(ctx, [task, ], "vi", "days_left")
    assert cells[3] == "Cục Địa chất và Khoáng sản Việt Nam (giao cho Cục Khoáng sản Việt Nam)"
    assert "unit=B" in href and "unit=C" not in href
    (cells, _), = message._task_rows(ctx, [{**task, "lead_unit_code": "B"}], "vi", "days_left")
    assert cells[3] == "Cục Địa chất và Khoáng sản Việt Nam"
