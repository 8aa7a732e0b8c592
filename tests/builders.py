"""Hand-built rows for the KPI tests: each helper fills every NOT NULL column with a
neutral default so a test states only what matters to it."""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa

from data_access import schema
from data_access.db import create_engine

D = dt.datetime


def create_tables(url: str, *, drop_first: bool = False) -> str:
    """The tables of all three sources in the database at `url`."""
    engine = sa.create_engine(url)
    for metadata in schema.METADATA.values():
        if drop_first:
            metadata.drop_all(engine)
        metadata.create_all(engine)
    engine.dispose()
    return url


class Rows:
    @classmethod
    def new_sqlite(cls, path) -> "Rows":
        """A fresh SQLite file with every source table, and a builder on it."""
        return cls(create_tables(f"sqlite:///{path}"))

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, read_only=False)
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.engine.dispose()

    def clear(self) -> None:
        with self.engine.begin() as conn:
            for metadata in schema.METADATA.values():
                for table in reversed(metadata.sorted_tables):
                    conn.execute(table.delete())

    def insert(self, table: sa.Table, *records: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(table.insert(), list(records))
        if table.name in ("units", "unit_successions"):
            from data_access import organisation

            organisation.forget()          # cached per URL; a test reads its new units at once

    def raw(self, sql: str, **params) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.text(sql), params)

    def _next(self) -> int:
        return next(self._ids)

    # --- shared --------------------------------------------------------------------
    def unit(self, code: str, name_vi: str | None = None, **kw) -> str:
        self.insert(schema.units, {"code": code, "name_vi": name_vi or f"Đơn vị {code}",
                                   "name_en": kw.get("name_en", f"Unit {code}"),
                                   "parent_code": kw.get("parent_code"), "kind": kw.get("kind", "department"),
                                   "valid_from": kw.get("valid_from"), "valid_to": kw.get("valid_to")})
        return code

    def succession(self, predecessor: str, successor: str, effective_on, kind: str = "merge",
                   inherits_history: bool = True, legal_basis: str | None = None) -> None:
        self.insert(schema.unit_successions, {
            "predecessor_code": predecessor, "successor_code": successor, "effective_on": effective_on,
            "kind": kind, "inherits_history": inherits_history, "legal_basis": legal_basis})

    # --- procedures ----------------------------------------------------------------
    def procedure(self, code: str, unit_code: str = "A", field: str = "environment", legal_days: int = 30, **kw) -> str:
        self.insert(schema.procedures, {"code": code, "name_vi": kw.get("name_vi", f"Thủ tục {code}"),
                                        "name_en": kw.get("name_en", f"Procedure {code}"), "field": field,
                                        "unit_code": unit_code, "legal_days": legal_days,
                                        "service_level": kw.get("service_level", "full_online")})
        return code

    def dossier(self, received_at: D, due_at: D | None = None, finished_at: D | None = None,
                status: str | None = None, **kw) -> str:
        dossier_id = kw.pop("id", None) or f"HS-{self._next():06d}"
        if status is None:
            status = "approved" if finished_at is not None else "processing"
        record = {
            "id": dossier_id, "procedure_code": kw.pop("procedure_code", "P1"), "unit_code": kw.pop("unit_code", "A"),
            "received_at": received_at, "due_at": due_at or received_at + dt.timedelta(days=30),
            "finished_at": finished_at, "status": status, "channel": kw.pop("channel", "in_person"),
            "applicant_type": kw.pop("applicant_type", "business"), "digitized": kw.pop("digitized", False),
            "synced_national": kw.pop("synced_national", False), "fee_amount": kw.pop("fee_amount", 0),
            "paid_online": kw.pop("paid_online", False), "rating": kw.pop("rating", None),
        }
        assert not kw, f"unknown dossier columns {kw}"
        self.insert(schema.dossiers, record)
        return dossier_id

    # --- tasks ---------------------------------------------------------------------
    def task(self, assigned_at: D, due_date: dt.date | None = None, completed_at: D | None = None, **kw) -> int:
        task_id = kw.pop("id", None) or self._next()
        record = {
            "id": task_id, "ref": kw.pop("ref", "01/NQ-CP"), "title_vi": kw.pop("title_vi", f"Nhiệm vụ {task_id}"),
            "title_en": kw.pop("title_en", f"Task {task_id}"), "source": kw.pop("source", "government"),
            "category": kw.pop("category", "report"), "lead_unit_code": kw.pop("lead_unit_code", "A"),
            "assigned_by": kw.pop("assigned_by", "Bộ trưởng"), "assigned_at": assigned_at, "due_date": due_date,
            "completed_at": completed_at, "cancelled": kw.pop("cancelled", False),
            "progress_pct": kw.pop("progress_pct", 100 if completed_at else 50), "priority": kw.pop("priority", "normal"),
            "updated_at": kw.pop("updated_at", completed_at or assigned_at),
        }
        assert not kw, f"unknown task columns {kw}"
        self.insert(schema.tasks, record)
        return task_id

    # --- emulation -----------------------------------------------------------------
    def movement(self, movement_id: int, year: int) -> int:
        self.insert(schema.movements, {"id": movement_id, "year": year, "name_vi": f"Phong trào {year}",
                                       "name_en": f"Movement {year}", "theme_vi": "Kỷ cương", "theme_en": "Discipline",
                                       "start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31)})
        return movement_id

    def block(self, block_id: int, movement_id: int, *unit_codes: str) -> int:
        self.insert(schema.blocks, {"id": block_id, "movement_id": movement_id, "name_vi": f"Khối {block_id}",
                                    "name_en": f"Block {block_id}"})
        if unit_codes:
            self.insert(schema.block_members, *({"block_id": block_id, "unit_code": u} for u in unit_codes))
        return block_id

    def criterion(self, criterion_id: int, movement_id: int, max_points: float, metric: str | None = None, content_no: int = 1) -> int:
        self.insert(schema.criteria, {"id": criterion_id, "movement_id": movement_id, "content_no": content_no,
                                      "name_vi": f"Tiêu chí {criterion_id}", "name_en": f"Criterion {criterion_id}",
                                      "max_points": max_points, "metric": metric})
        return criterion_id

    def evaluation(self, movement_id: int, unit_code: str, criterion_id: int, period: str, points: float) -> None:
        self.insert(schema.evaluations, {"movement_id": movement_id, "unit_code": unit_code, "criterion_id": criterion_id,
                                         "period": period, "points": points, "evaluated_at": D(2026, 7, 10, 9, 0)})

    def award(self, decided_on: dt.date, title: str = "certificate_of_merit", unit_code: str = "A", **kw) -> int:
        award_id = kw.pop("id", None) or self._next()
        self.insert(schema.awards, {"id": award_id, "movement_id": kw.pop("movement_id", None), "unit_code": unit_code,
                                    "recipient_kind": kw.pop("recipient_kind", "collective"),
                                    "recipient_name": kw.pop("recipient_name", f"Đơn vị {unit_code}"), "title": title,
                                    "decision_no": kw.pop("decision_no", "1/QĐ-BTNMT"), "decided_on": decided_on})
        return award_id
