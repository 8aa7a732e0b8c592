"""The KPI engine against an independent computation from the rows.

The reference below reads every row of a small demo database into Python and applies
docs/kpis.md literally, sharing no code with the engine. Both must agree, on every engine,
for several periods, as-of moments and scopes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa

from data_access import report
from data_access.demo import init_demo
from data_access.model import Period, Scope

NOW = dt.datetime(2026, 6, 25, 10, 0, 0)
WEIGHTS = [("procedures.synced_rate", 6, 1.0), ("procedures.on_time_rate", 20, 1.0),
           ("procedures.online_rate", 6, 0.5), ("procedures.online_payment_rate", 6, 1.0),
           ("procedures.digitized_rate", 4, 0.8), ("procedures.satisfaction_rate", 6, 0.9)]


def _rate(num, den):
    return num / den if den else None


def _as_dt(value):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value)) if value is not None else None


def cutoff(end, t):
    """The period's cut-off: T, or the last instant of the period's last day before it."""
    return min(t, dt.datetime.combine(end, dt.time.max))


def _as_date(value):
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10]))


class Reference:
    def __init__(self, url: str):
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            self.dossiers = [r._mapping for r in conn.execute(sa.text("SELECT * FROM dossiers"))]
            self.tasks = [r._mapping for r in conn.execute(sa.text("SELECT * FROM tasks"))]
            self.movements = [r._mapping for r in conn.execute(sa.text("SELECT * FROM movements"))]
            self.blocks = [r._mapping for r in conn.execute(sa.text("SELECT * FROM blocks"))]
            self.members = [r._mapping for r in conn.execute(sa.text("SELECT * FROM block_members"))]
            self.criteria = [r._mapping for r in conn.execute(sa.text("SELECT * FROM criteria"))]
            self.evaluations = [r._mapping for r in conn.execute(sa.text("SELECT * FROM evaluations"))]
            self.awards = [r._mapping for r in conn.execute(sa.text("SELECT * FROM awards"))]
            self.successions = [r._mapping for r in conn.execute(sa.text("SELECT * FROM unit_successions"))]
        engine.dispose()

    def codes(self, unit, t, structure="current"):
        """The codes a unit's scope reads: in `current` the unit and every code whose chain
        of inheriting successions in force at T passes through it; in `historical` the
        unit alone."""
        if structure == "historical":
            return {unit}
        heirs = {}
        for s in sorted(self.successions, key=lambda s: (s["predecessor_code"], s["successor_code"])):
            if s["inherits_history"] and _as_date(s["effective_on"]) <= t.date():
                heirs.setdefault(s["predecessor_code"], s["successor_code"])
        out = {unit}
        for code in heirs:
            seen, c = {code}, code
            while c in heirs and heirs[c] not in seen:
                c = heirs[c]
                seen.add(c)
            if unit in seen:
                out.add(code)
        return out

    @staticmethod
    def _in(ts, start, end, t):
        ts = _as_dt(ts)
        return ts is not None and dt.datetime.combine(start, dt.time()) <= ts < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()) and ts <= t

    def procedures(self, start, end, t, unit=None, structure="current", lineage_at=None):
        codes = self.codes(unit, lineage_at or t, structure) if unit else None
        t = cutoff(end, t)
        rows = [d for d in self.dossiers if unit is None or d["unit_code"] in codes]
        received = [d for d in rows if self._in(d["received_at"], start, end, t)]

        def withdrawn(d):
            return d["status"] == "withdrawn" and d["finished_at"] is not None and _as_dt(d["finished_at"]) <= t

        kept = [d for d in received if not withdrawn(d)]
        fee = [d for d in kept if d["fee_amount"] > 0]
        finished = [d for d in rows if d["status"] in ("approved", "rejected") and d["finished_at"] is not None
                    and self._in(d["finished_at"], start, end, t)]
        rated = [d for d in finished if d["rating"] is not None]
        pending = [d for d in rows if _as_dt(d["received_at"]) <= t and (d["finished_at"] is None or _as_dt(d["finished_at"]) > t)]
        k = {
            "procedures.received": len(received),
            "procedures.finished": len(finished),
            "procedures.on_time_rate": _rate(sum(_as_dt(d["finished_at"]) <= _as_dt(d["due_at"]) for d in finished), len(finished)),
            "procedures.pending": len(pending),
            "procedures.pending_overdue": sum(_as_dt(d["due_at"]) < t for d in pending),
            "procedures.online_rate": _rate(sum(d["channel"] == "online" for d in kept), len(kept)),
            "procedures.digitized_rate": _rate(sum(bool(d["digitized"]) for d in kept), len(kept)),
            "procedures.synced_rate": _rate(sum(bool(d["synced_national"]) for d in kept), len(kept)),
            "procedures.online_payment_rate": _rate(sum(bool(d["paid_online"]) for d in fee), len(fee)),
            "procedures.satisfaction_rate": _rate(sum(d["rating"] >= 4 for d in rated), len(rated)),
            "procedures.avg_processing_days": _rate(sum((_as_dt(d["finished_at"]) - _as_dt(d["received_at"])).total_seconds() / 86400
                                                        for d in finished), len(finished)),
        }
        earned = [(w * min(1, k[r] / full), w) for r, w, full in WEIGHTS if k[r] is not None]
        k["procedures.service_index"] = 100 * sum(e for e, _ in earned) / sum(w for _, w in earned) if earned else None
        return k

    def tasks_kpis(self, start, end, t, unit=None, structure="current", lineage_at=None):
        codes = self.codes(unit, lineage_at or t, structure) if unit else None
        live, t = t, cutoff(end, t)
        d = t.date()
        rows = [x for x in self.tasks if (unit is None or x["lead_unit_code"] in codes) and not x["cancelled"]]
        population = [x for x in rows if self._in(x["assigned_at"], start, end, t)]
        cat = Counter()
        legal = legal_done = 0
        for x in population:
            done = x["completed_at"] is not None and _as_dt(x["completed_at"]) <= t
            due = _as_date(x["due_date"])
            if done:
                cat["on_time" if due is None or _as_dt(x["completed_at"]).date() <= due else "late"] += 1
            else:
                cat["ip_ok" if due is None or due >= d else "ip_over"] += 1
            if x["category"] == "legal_document":
                legal += 1
                legal_done += done
        # Due soon is live at T, whatever the period.
        today = live.date()
        due7 = sum(1 for x in rows if _as_dt(x["assigned_at"]) <= live
                   and (x["completed_at"] is None or _as_dt(x["completed_at"]) > live)
                   and x["due_date"] is not None and today < _as_date(x["due_date"]) <= today + dt.timedelta(days=7))
        return {
            "tasks.assigned": len(population),
            "tasks.completed_on_time": cat["on_time"], "tasks.completed_late": cat["late"],
            "tasks.in_progress_on_time": cat["ip_ok"], "tasks.in_progress_overdue": cat["ip_over"],
            "tasks.on_time_rate": _rate(cat["on_time"], cat["on_time"] + cat["late"] + cat["ip_over"]),
            "tasks.legal_docs_completion_rate": _rate(legal_done, legal),
            "tasks.due_next_7_days": due7,
        }

    def emulation(self, start, end, t):
        year = start.year
        t = cutoff(end, t)          # the evaluation is taken at the period's cut-off
        movement = next((m for m in sorted(self.movements, key=lambda m: m["id"]) if m["year"] == year), None)
        last_day = min(end, t.date())
        awards = [a for a in self.awards if start <= _as_date(a["decided_on"]) <= last_day]
        by_title = dict(Counter(a["title"] for a in awards))
        if movement is None:
            return {"emulation.participating_units": 0, "emulation.score": None, "emulation.awards": len(awards)}, [], by_title
        code = "H1" if end <= dt.date(year, 6, 30) else "FY"
        w_end = dt.date(year, 6, 30) if code == "H1" else dt.date(year, 12, 31)
        block_ids = {b["id"] for b in self.blocks if b["movement_id"] == movement["id"]}
        members = [(m["block_id"], m["unit_code"]) for m in self.members if m["block_id"] in block_ids]
        crit = [c for c in self.criteria if c["movement_id"] == movement["id"]]
        scores = {}
        for unit in {u for _, u in members}:
            values = {**self.procedures(dt.date(year, 1, 1), w_end, t, unit),
                      **self.tasks_kpis(dt.date(year, 1, 1), w_end, t, unit)}
            earned = total = 0.0
            for c in crit:
                if c["metric"]:
                    v = values.get(c["metric"])
                    if v is None:
                        continue
                    earned += float(c["max_points"]) * v
                else:
                    ev = [e for e in self.evaluations if e["movement_id"] == movement["id"] and e["unit_code"] == unit
                          and e["criterion_id"] == c["id"] and e["period"] == code and e["points"] is not None]
                    if not ev:
                        continue
                    earned += float(ev[0]["points"])
                total += float(c["max_points"])
            scores[unit] = 100 * earned / total if total else None
        listed = []
        for block in sorted({b for b, _ in members}):
            units = [u for b, u in members if b == block]
            ranked = sorted((u for u in units if scores[u] is not None), key=lambda u: -scores[u])
            for u in units:
                rank = None
                if scores[u] is not None:
                    rank = 1 + sum(1 for v in ranked if scores[v] - scores[u] > 1e-9)
                listed.append({"unit": u, "block": block, "score": scores[u], "rank": rank})
        defined = [s for s in scores.values() if s is not None]
        kpis = {"emulation.participating_units": len({u for _, u in members}),
                "emulation.score": sum(defined) / len(defined) if defined else None,
                "emulation.awards": len(awards)}
        return kpis, listed, by_title


@pytest.fixture
def demo(rows):
    init_demo({"procedures": rows.url, "tasks": rows.url, "emulation": rows.url},
              scale=0.03, seed=7, force=True, now=NOW, log=lambda _m: None)
    return Reference(rows.url)


CASES = [
    (dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.datetime(2026, 6, 20, 14, 30), None),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), NOW, None),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 31), NOW, None),
    (dt.date(2025, 7, 1), dt.date(2026, 6, 30), NOW, "QLTNN"),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), NOW, "DCKS"),     # a lineage across the merger
    # Past periods: their backlog, task categories and evaluation at the period's cut-off.
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31), NOW, None),        # H1's evaluation as of 31 March
    (dt.date(2025, 7, 1), dt.date(2025, 12, 31), NOW, "QLTNN"),
    (dt.date(2026, 6, 1), dt.date(2026, 6, 24), NOW, None),        # ended the day before T
]


def test_engine_equals_an_independent_computation(demo, sources):
    for start, end, t, unit in CASES:
        got = report.compute(sources, Period(start, end), t, Scope(unit))
        expected = {**demo.procedures(start, end, t, unit), **demo.tasks_kpis(start, end, t, unit)}
        if unit is None:
            emu, listed, by_title = demo.emulation(start, end, t)
            expected.update(emu)
            assert got["awards_by_title"] == by_title
            key = lambda r: (r["block"], r["unit"])  # noqa: E731
            assert [(r["unit"], r["block"], r["rank"]) for r in sorted(got["emulation_scores"], key=key)] == \
                   [(r["unit"], r["block"], r["rank"]) for r in sorted(listed, key=key)]
            for g, e in zip(sorted(got["emulation_scores"], key=key), sorted(listed, key=key)):
                assert g["score"] == pytest.approx(e["score"], rel=1e-9), g
        assert expected["procedures.received"] > 0 and expected["tasks.assigned"] > 0
        for kpi_id, value in expected.items():
            assert got["kpis"][kpi_id] == pytest.approx(value, rel=1e-9, abs=1e-9), (kpi_id, start, end, unit)


STRUCTURE_CASES = [
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), NOW, "DCKS", "historical"),   # from its first day only
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), NOW, "KS", "historical"),     # until its last day
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), NOW, "KS", "current"),        # a predecessor is itself
]


def test_engine_equals_an_independent_computation_in_both_structures(demo, sources):
    for start, end, t, unit, structure in STRUCTURE_CASES:
        got = report.compute(sources, Period(start, end), t, Scope(unit, structure))
        expected = {**demo.procedures(start, end, t, unit, structure), **demo.tasks_kpis(start, end, t, unit, structure)}
        assert expected["procedures.received"] > 0, (unit, structure)
        for kpi_id, value in expected.items():
            assert got["kpis"][kpi_id] == pytest.approx(value, rel=1e-9, abs=1e-9), (kpi_id, unit, structure)


@pytest.mark.parametrize("structure", ["current", "historical"])
def test_the_per_unit_list_equals_an_independent_computation_of_each_unit(demo, sources, structure):
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    got = report.compute(sources, Period(start, end), NOW, Scope(None, structure), by="unit")
    listed = {row["unit"]: row["kpis"] for row in got["by_unit"]}
    merged_away = {"KS", "DCVN", "MT", "KSON", "DD", "DKDL", "QHDD", "KTTV", "CDS"}
    assert (merged_away & set(listed)) == (set() if structure == "current" else merged_away)
    checked = 0
    for unit, kpis in listed.items():
        expected = {**demo.procedures(start, end, NOW, unit, structure),
                    **demo.tasks_kpis(start, end, NOW, unit, structure)}
        for kpi_id, value in expected.items():
            assert kpis[kpi_id] == pytest.approx(value, rel=1e-9, abs=1e-9), (kpi_id, unit, structure)
        checked += expected["procedures.received"] > 0
    assert checked >= 10
    # Every record is some listed unit's: the units' received add up to the ministry's.
    assert sum(k["procedures.received"] for k in listed.values()) == got["kpis"]["procedures.received"]


def test_a_past_period_reports_its_backlog_and_task_categories_at_its_cut_off(demo, sources):
    """The first quarter, asked for in June: what was pending on 31 March, not today."""
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    got = report.compute(sources, Period(start, end), NOW, Scope.ministry())["kpis"]
    at_cut = {**demo.procedures(start, end, NOW), **demo.tasks_kpis(start, end, NOW)}
    cut = dt.datetime.combine(end, dt.time.max)
    # The reference at T, had the rule not been there: the figures the rule changes.
    at_t = {**demo.procedures(start, end, cut, None), **demo.tasks_kpis(start, end, cut, None)}
    today = demo.procedures(start, NOW.date(), NOW)
    assert got["procedures.pending"] == at_cut["procedures.pending"] == at_t["procedures.pending"]
    assert got["procedures.pending"] != today["procedures.pending"]
    assert got["tasks.in_progress_overdue"] == at_cut["tasks.in_progress_overdue"]
    # Due soon stays live at T: the same for any period.
    later = report.compute(sources, Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30)), NOW, Scope.ministry())["kpis"]
    assert got["tasks.due_next_7_days"] == later["tasks.due_next_7_days"] > 0


def test_a_dossier_closed_in_the_last_second_of_the_period_is_not_pending_at_its_cut_off(rows, sources):
    """The cut-off is the period's last instant: 23:59:59 on its last day is inside it,
    the next midnight is not."""
    D = dt.datetime
    rows.unit("A")
    rows.procedure("P1", "A")
    rows.dossier(D(2026, 3, 1, 9), D(2026, 3, 31, 23, 59, 59), D(2026, 3, 31, 23, 59, 59), id="HS-1")
    rows.dossier(D(2026, 3, 1, 9), D(2026, 3, 31, 12), D(2026, 4, 1, 0, 0, 0), id="HS-2")
    rows.dossier(D(2026, 3, 1, 9), D(2026, 5, 1), D(2026, 4, 1, 0, 0, 0), "withdrawn", id="HS-3")
    rows.task(D(2026, 3, 2, 9), dt.date(2026, 3, 31), D(2026, 4, 1, 0, 0, 0))
    got = report.compute(sources, Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), D(2026, 6, 1, 8), Scope.ministry())
    k = got["kpis"]
    assert (k["procedures.pending"], k["procedures.pending_overdue"]) == (2, 1)
    assert (k["procedures.finished"], k["procedures.on_time_rate"]) == (1, 1.0)
    # Withdrawn only after the cut-off: still counted among the period's dossiers.
    assert k["procedures.online_rate"] is not None and k["procedures.received"] == 3
    assert (k["tasks.in_progress_on_time"], k["tasks.in_progress_overdue"], k["tasks.completed_late"]) == (1, 0, 0)


def test_the_emulation_pages_evaluation_of_a_past_year_is_the_reports(demo, sources):
    """The Emulation page evaluates a movement directly; last year's, asked for now, is
    the one the report of that year gives (both at 31 December)."""
    from data_access import emulation, figures

    movement = emulation.movement_for_year(sources.emulation, 2025)
    scores, _points = figures.evaluate_movement(sources, movement, "FY", NOW, Scope.ministry())
    reported = report.compute(sources, Period.year(2025), NOW, Scope.ministry())["emulation_scores"]
    key = lambda r: (r["block"], r["unit"])  # noqa: E731
    assert [(r["unit"], r["block"], r["score"], r["rank"]) for r in sorted(scores, key=key)] == \
           [(r["unit"], r["block"], r["score"], r["rank"]) for r in sorted(reported, key=key)]
    assert any(r["score"] is not None for r in reported)
