"""A run: evaluate every rule as of now, keep each new message in the outbox (the unique
key refuses what another run already has), then send what is pending — this run's and
any earlier run's that could not go."""

from __future__ import annotations

import datetime as dt
import email.policy
import re
from dataclasses import dataclass, field
from pathlib import Path

import auth
from data_access import model
from data_access.db import Sources

from . import engine, message
from .deliver import Mailer, Permanent, SmtpConfig, Transient, Unreachable
from .rules import Rule, load
from .store import Store

# Backoff of a message kept for a later run: its next attempt waits this long, doubled
# each time, at most a day.
RETRY_AFTER = dt.timedelta(minutes=5)
MAX_WAIT = dt.timedelta(days=1)
MAX_ATTEMPTS = 40          # then it is recorded as failed (about a week of hourly runs)


@dataclass
class Result:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    pending: int = 0
    written: list[Path] = field(default_factory=list)
    smtp_error: str | None = None
    dues: list = field(default_factory=list)


def _sources() -> Sources:
    from data_access.cli import _ensure_demo

    _ensure_demo()
    return Sources.from_settings()


def prepare(store: Store, sources: Sources | None = None, now: dt.datetime | None = None,
            rules: tuple[Rule, ...] | None = None, only_user: str | None = None):
    rules = rules if rules is not None else load()
    sources = sources or _sources()
    now = now or model.now()
    opted = store.opted()
    people = engine.recipients(opted=opted, languages=store.languages())
    if only_user is not None:
        people = [p for p in people if p.username == only_user]
    ctx = engine.Context(sources, now, previous=store.states(""))
    dues = engine.evaluate(ctx, rules, people, opted)
    return ctx, dues


def _eml_name(due: engine.Due) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{due.day.isoformat()}_{due.rule.id}_{due.recipient.username}_{due.item}")
    return safe.strip("-")[:180] + ".eml"


def dry_run(out: Path, store: Store, sources: Sources | None = None, now: dt.datetime | None = None,
            rules: tuple[Rule, ...] | None = None) -> Result:
    """The messages a run would send now, as .eml files in `out`; nothing is sent or kept."""
    config = SmtpConfig.from_settings()
    ctx, dues = prepare(store, sources, now, rules)
    out.mkdir(parents=True, exist_ok=True)
    result = Result(dues=dues)
    sender = config.sender or "ioc@localhost"
    for due in dues:
        if store.exists(due.rule.id, due.recipient.username, due.item, due.day):
            continue
        msg = message.email(message.build(ctx, due), due, sender, auth.clock())
        path = out / _eml_name(due)
        path.write_bytes(msg.as_bytes(policy=email.policy.default))
        result.written.append(path)
    return result


def run(store: Store, sources: Sources | None = None, now: dt.datetime | None = None,
        rules: tuple[Rule, ...] | None = None, mailer: Mailer | None = None, config: SmtpConfig | None = None,
        log=lambda line: None) -> Result:
    """Evaluate, keep and send. Raises the source's error when one cannot be read (after
    the run is recorded); an unreachable mail server leaves its messages pending and says
    so in `Result.smtp_error`."""
    config = config or SmtpConfig.from_settings()
    config.check()
    started = auth.clock()
    run_id = store.start_run(started)
    result = Result()
    try:
        ctx, dues = prepare(store, sources, now, rules)
        result.dues = dues
        for due in dues:
            if store.exists(due.rule.id, due.recipient.username, due.item, due.day):
                continue              # sent or kept before: not even built again
            built = message.build(ctx, due)
            raw = message.email(built, due, config.sender, auth.clock()).as_bytes(policy=email.policy.SMTP)
            if store.enqueue(rule=due.rule.id, recipient=due.recipient.username, item=due.item, day=due.day,
                             address=due.recipient.email, subject=built.subject, message=raw, now=auth.clock(),
                             run_id=run_id):
                result.queued += 1
        # What the rules saw is kept once their messages are safe in the outbox.
        store.set_states(ctx.new_state, auth.clock())
        send_pending(store, config, result, run_id, mailer, log)
    except Exception as exc:
        store.finish_run(run_id, auth.clock(), queued=result.queued, sent=result.sent, failed=result.failed,
                         outcome="source_unreachable" if getattr(exc, "kind", "") == "unreachable" else "error",
                         detail=str(exc)[:500])
        raise
    store.finish_run(run_id, auth.clock(), queued=result.queued, sent=result.sent, failed=result.failed,
                     outcome="smtp_unreachable" if result.smtp_error else "ok", detail=result.smtp_error)
    result.pending = store.counts()["pending"]
    return result


def send_pending(store: Store, config: SmtpConfig, result: Result, run_id: int, mailer: Mailer | None = None,
                 log=lambda line: None) -> None:
    mailer = mailer or Mailer(config)
    store.release_stale(auth.clock())
    try:
        for q in store.due(auth.clock()):
            if not store.claim(q.id, auth.clock(), run_id):
                continue              # another run took it
            try:
                mailer.send(q.message, q.address)
            except Permanent as exc:
                store.failed(q, auth.clock(), str(exc))
                result.failed += 1
                log(f"failed for good: {q.rule} to {q.address}: {exc}")
            except Transient as exc:
                wait = min(RETRY_AFTER * (2 ** min(q.attempts, 10)), MAX_WAIT)
                if q.attempts + 1 >= MAX_ATTEMPTS:
                    store.failed(q, auth.clock(), f"gave up after {q.attempts + 1} attempts: {exc}")
                    result.failed += 1
                    continue
                # Kept for the next run, due again at once there (cron's interval is the
                # backoff that matters); an unreachable server ends this run's sending.
                store.retry_later(q, auth.clock(), str(exc), dt.timedelta(0) if isinstance(exc, Unreachable) else wait)
                if isinstance(exc, Unreachable):
                    result.smtp_error = str(exc)
                    break
            else:
                store.sent(q, auth.clock())
                result.sent += 1
    finally:
        mailer.close()
