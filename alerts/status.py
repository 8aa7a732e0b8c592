"""What Data status shows of the alerts: the counts of the outbox, the last runs and the
messages not sent (pending, being sent, failed), as frames in the reader's language."""

from __future__ import annotations

import pandas as pd

from l10n.i18n import t

from .store import Store

RUN_COLUMNS = ("run_started", "run_finished", "queued", "sent", "failed", "pending", "outcome")
MESSAGE_COLUMNS = ("rule", "recipient", "subject", "message_status", "attempts", "error")


def overview(store: Store | None = None, runs: int = 20, unsent: int = 200):
    store = store or Store()
    return (store.counts(), store.runs(runs),
            [m for m in store.messages(limit=unsent * 5) if m["status"] != "sent"][:unsent])


def _label(group: str, value, lang: str) -> str:
    try:
        return t(f"alerts.{group}_{value}", lang)
    except KeyError:
        return str(value or "—")


def run_columns(lang: str) -> dict[str, str]:
    return {c: t(f"alerts.col_{c}", lang) for c in RUN_COLUMNS}


def message_columns(lang: str) -> dict[str, str]:
    return {c: t(f"alerts.col_{c}", lang) for c in MESSAGE_COLUMNS}


def runs_frame(runs: list[dict], lang: str) -> pd.DataFrame:
    return pd.DataFrame([{"run_started": r["started_at"], "run_finished": r["finished_at"], "queued": r["queued"],
                          "sent": r["sent"], "failed": r["failed"], "pending": r["pending"],
                          "outcome": _label("outcome", r["outcome"], lang) if r["outcome"] else "…"}
                         for r in runs], columns=list(RUN_COLUMNS))


def _rule_names(lang: str) -> dict[str, str]:
    from .rules import RuleError, load

    try:
        return {r.id: r.name(lang) for r in load()}
    except RuleError:                   # a broken catalogue still lets the outbox be read
        return {}


def messages_frame(messages: list[dict], lang: str) -> pd.DataFrame:
    names = _rule_names(lang)
    return pd.DataFrame([{"rule": names.get(m["rule"], m["rule"]), "recipient": f"{m['recipient']} <{m['address']}>",
                          "subject": m["subject"], "message_status": _label("status", m["status"], lang),
                          "attempts": m["attempts"], "error": m["last_error"] or ""}
                         for m in messages], columns=list(MESSAGE_COLUMNS))
