"""The alerts' tables in the app's own database (the one `auth.audit` keeps the audit
log and sessions in, `app_db_url`), created on first use:

- `alert_messages`: the outbox and the record of what was sent. One row per message,
  UNIQUE (rule, recipient, item, day): a second run, or a second server, that builds the
  same message finds the row taken and sends nothing. `status` is pending → sending →
  sent, or back to pending with `next_attempt_at` after a transient failure, or failed
  (a permanent refusal, such as an unknown address). The message is kept whole, so what
  a later run sends is what was built, attachments included.
- `alert_runs`: one row per run: when, and how many sent, failed and pending.
- `alert_state`: what a rule last saw per scope (a KPI's traffic light, the count of
  overdue dossiers), so that it fires on a change, not on every run.
- `alert_subscriptions`, `alert_preferences`: a user's opt-outs and language.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

import auth
from auth.audit import AUDIT, shared

METADATA = sa.MetaData()
_BLOB = sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")

MESSAGES = sa.Table(
    "alert_messages", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("rule", sa.String(40), nullable=False),
    sa.Column("recipient", sa.String(64), nullable=False),      # the username
    sa.Column("item", sa.String(190), nullable=False),          # what the message is about (scope, week, cut-off)
    sa.Column("day", sa.Date, nullable=False),                   # the day the rule fired for
    sa.Column("address", sa.String(200), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),         # pending, sending, sent, failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime, nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("claimed_at", sa.DateTime, nullable=True),
    sa.Column("sent_at", sa.DateTime, nullable=True),
    sa.Column("run_id", sa.Integer, nullable=True),
    sa.Column("message", _BLOB, nullable=False),
    sa.UniqueConstraint("rule", "recipient", "item", "day", name="uq_alert_once"),
    sa.Index("ix_alert_messages_status", "status", "next_attempt_at"),
)
RUNS = sa.Table(
    "alert_runs", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=True),
    sa.Column("queued", sa.Integer, nullable=False, default=0),
    sa.Column("sent", sa.Integer, nullable=False, default=0),
    sa.Column("failed", sa.Integer, nullable=False, default=0),
    sa.Column("pending", sa.Integer, nullable=False, default=0),
    sa.Column("outcome", sa.String(32), nullable=True),          # ok, smtp_unreachable, source_unreachable, error
    sa.Column("detail", sa.String(500), nullable=True),
)
STATE = sa.Table(
    "alert_state", METADATA,
    sa.Column("key", sa.String(190), primary_key=True),
    sa.Column("value", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)
SUBSCRIPTIONS = sa.Table(
    "alert_subscriptions", METADATA,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("rule", sa.String(40), primary_key=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=True),
)
PREFERENCES = sa.Table(
    "alert_preferences", METADATA,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

STATUSES = ("pending", "sending", "sent", "failed")
# A message claimed by a run that died before it could say how the send went is put
# back after this long (it may then go out twice: the only way it is never lost).
STALE_CLAIM = dt.timedelta(minutes=30)


def _clip(value, n: int):
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= n else value[: n - 1] + "…"


@dataclass(frozen=True)
class Queued:
    id: int
    rule: str
    recipient: str
    item: str
    day: dt.date
    address: str
    subject: str
    attempts: int
    message: bytes


_CREATED: set[str] = set()
_LOCK = threading.Lock()


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or str(auth.config("app_db_url"))
        self.log = shared(self.url)

    @property
    def engine(self):
        engine = self.log.engine              # creates the audit tables (and the private SQLite file)
        with _LOCK:
            if self.url not in _CREATED:
                METADATA.create_all(engine, checkfirst=True)
                _CREATED.add(self.url)
        return engine

    # --- the outbox ----------------------------------------------------------------------
    def exists(self, rule: str, recipient: str, item: str, day: dt.date) -> bool:
        q = sa.select(MESSAGES.c.id).where(MESSAGES.c.rule == rule, MESSAGES.c.recipient == recipient,
                                           MESSAGES.c.item == item, MESSAGES.c.day == day)
        with self.engine.connect() as conn:
            return conn.execute(q).first() is not None

    def enqueue(self, *, rule: str, recipient: str, item: str, day: dt.date, address: str, subject: str,
                message: bytes, now: dt.datetime, run_id: int | None) -> bool:
        """Keep a message to send; False when (rule, recipient, item, day) is already
        there (sent, pending or failed): the unique key decides, not a read before."""
        try:
            with self.engine.begin() as conn:
                conn.execute(MESSAGES.insert().values(
                    rule=rule, recipient=recipient, item=_clip(item, 190), day=day, address=_clip(address, 200),
                    subject=_clip(subject, 300), status="pending", attempts=0, created_at=now, message=message,
                    run_id=run_id))
        except sa.exc.IntegrityError:
            return False
        return True

    def release_stale(self, now: dt.datetime) -> int:
        with self.engine.begin() as conn:
            done = conn.execute(MESSAGES.update().where(MESSAGES.c.status == "sending",
                                                        MESSAGES.c.claimed_at < now - STALE_CLAIM)
                                .values(status="pending", claimed_at=None))
        return done.rowcount

    def due(self, now: dt.datetime, limit: int = 5000) -> list[Queued]:
        """Messages waiting to be sent whose next attempt is due, oldest first."""
        q = (sa.select(MESSAGES).where(MESSAGES.c.status == "pending",
                                       sa.or_(MESSAGES.c.next_attempt_at.is_(None), MESSAGES.c.next_attempt_at <= now))
             .order_by(MESSAGES.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [Queued(r.id, r.rule, r.recipient, r.item, r.day, r.address, r.subject, r.attempts, r.message)
                    for r in conn.execute(q)]

    def claim(self, message_id: int, now: dt.datetime, run_id: int | None) -> bool:
        """Take a pending message for this run; False when another run took it first."""
        with self.engine.begin() as conn:
            done = conn.execute(MESSAGES.update().where(MESSAGES.c.id == message_id, MESSAGES.c.status == "pending")
                                .values(status="sending", claimed_at=now, run_id=run_id))
        return done.rowcount == 1

    def sent(self, q: Queued, now: dt.datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(MESSAGES.update().where(MESSAGES.c.id == q.id).values(
                status="sent", sent_at=now, attempts=q.attempts + 1, last_error=None, message=b""))
            conn.execute(AUDIT.insert().values(at=now, username=q.recipient, event="alert_sent",
                                               detail=_clip(f"{q.rule} to {q.address}: {q.subject}", 500)))

    def retry_later(self, q: Queued, now: dt.datetime, error: str, delay: dt.timedelta) -> None:
        with self.engine.begin() as conn:
            conn.execute(MESSAGES.update().where(MESSAGES.c.id == q.id).values(
                status="pending", claimed_at=None, attempts=q.attempts + 1, last_error=_clip(error, 500),
                next_attempt_at=now + delay))

    def failed(self, q: Queued, now: dt.datetime, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(MESSAGES.update().where(MESSAGES.c.id == q.id).values(
                status="failed", claimed_at=None, attempts=q.attempts + 1, last_error=_clip(error, 500)))
            conn.execute(AUDIT.insert().values(at=now, username=q.recipient, event="alert_failed",
                                               detail=_clip(f"{q.rule} to {q.address}: {error}", 500)))

    def messages(self, status: str | None = None, limit: int = 200) -> list[dict]:
        """The latest messages (without their content), newest first."""
        cols = [c for c in MESSAGES.c if c.name != "message"]
        q = sa.select(*cols).order_by(MESSAGES.c.id.desc()).limit(max(1, min(int(limit), 5000)))
        if status is not None:
            q = q.where(MESSAGES.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def counts(self) -> dict[str, int]:
        q = sa.select(MESSAGES.c.status, sa.func.count()).group_by(MESSAGES.c.status)
        with self.engine.connect() as conn:
            found = {status: int(n) for status, n in conn.execute(q)}
        return {s: found.get(s, 0) for s in STATUSES}

    # --- runs ----------------------------------------------------------------------------
    def start_run(self, now: dt.datetime) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(RUNS.insert().values(started_at=now, queued=0, sent=0, failed=0, pending=0))
                       .inserted_primary_key[0])

    def finish_run(self, run_id: int, now: dt.datetime, *, queued: int, sent: int, failed: int, outcome: str,
                   detail: str | None = None) -> None:
        pending = self.counts()["pending"]
        with self.engine.begin() as conn:
            conn.execute(RUNS.update().where(RUNS.c.id == run_id).values(
                finished_at=now, queued=queued, sent=sent, failed=failed, pending=pending, outcome=outcome,
                detail=_clip(detail, 500)))

    def runs(self, limit: int = 20) -> list[dict]:
        q = sa.select(RUNS).order_by(RUNS.c.id.desc()).limit(max(1, min(int(limit), 1000)))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    # --- what the rules last saw ---------------------------------------------------------
    def states(self, prefix: str) -> dict[str, str]:
        q = sa.select(STATE.c.key, STATE.c.value).where(STATE.c.key.startswith(prefix, autoescape=True))
        with self.engine.connect() as conn:
            return {k: v for k, v in conn.execute(q)}

    def set_states(self, values: dict[str, str], now: dt.datetime) -> None:
        if not values:
            return
        # Two runs at once may both insert a key the other has just inserted: the loser's
        # transaction is rolled back and done again, the key now known.
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    known = {k for (k,) in conn.execute(sa.select(STATE.c.key).where(STATE.c.key.in_(list(values))))}
                    for key, value in values.items():
                        if key in known:
                            conn.execute(STATE.update().where(STATE.c.key == key).values(value=value, updated_at=now))
                        else:
                            conn.execute(STATE.insert().values(key=key, value=value, updated_at=now))
                return
            except sa.exc.IntegrityError:
                if attempt == 2:
                    raise

    # --- subscriptions -------------------------------------------------------------------
    def opted(self) -> dict[tuple[str, str], bool]:
        """(username, rule) → enabled, for every choice a user made (absent: subscribed)."""
        with self.engine.connect() as conn:
            return {(u, r): bool(e) for u, r, e in conn.execute(
                sa.select(SUBSCRIPTIONS.c.username, SUBSCRIPTIONS.c.rule, SUBSCRIPTIONS.c.enabled))}

    def set_subscription(self, username: str, rule: str, enabled: bool, now: dt.datetime, by: str | None) -> None:
        with self.engine.begin() as conn:
            where = (SUBSCRIPTIONS.c.username == username, SUBSCRIPTIONS.c.rule == rule)
            done = conn.execute(SUBSCRIPTIONS.update().where(*where).values(enabled=enabled, updated_at=now,
                                                                            updated_by=by))
            if done.rowcount == 0:
                conn.execute(SUBSCRIPTIONS.insert().values(username=username, rule=rule, enabled=enabled,
                                                           updated_at=now, updated_by=by))

    def languages(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {u: lang for u, lang in conn.execute(sa.select(PREFERENCES.c.username, PREFERENCES.c.lang))}

    def set_language(self, username: str, lang: str, now: dt.datetime) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(PREFERENCES.update().where(PREFERENCES.c.username == username)
                                .values(lang=lang, updated_at=now))
            if done.rowcount == 0:
                conn.execute(PREFERENCES.insert().values(username=username, lang=lang, updated_at=now))
