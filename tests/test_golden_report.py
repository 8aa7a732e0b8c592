"""The report contract's JSON, guarded byte for byte.

The JSON of `python -m data_access kpis` for the cases below was recorded on each engine
before the KPI layer was rebuilt around one catalogue; it must stay byte-identical
except where a recorded fix changed it (each fix is listed in `tests/golden/README.md`).
Re-record only for a deliberate change: `IOC_RECORD_GOLDEN=1 pytest tests/test_golden_report.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from data_access import report
from data_access.demo import init_demo
from data_access.model import Period, Scope

GOLDEN = Path(__file__).parent / "golden"
NOW = dt.datetime(2026, 6, 25, 10, 0, 0)
RECORD = os.environ.get("IOC_RECORD_GOLDEN") == "1"

# (name, from, to, as_of, unit)
CASES = (
    ("ministry_h1", "2026-01-01", "2026-06-30", "2026-06-25 10:00:00", None),
    ("ministry_year_cut_at_t", "2026-01-01", "2026-12-31", "2026-06-25 10:00:00", None),
    ("ministry_last_year", "2025-01-01", "2025-12-31", "2026-06-25 10:00:00", None),
    ("ministry_month_past_as_of", "2026-03-01", "2026-03-31", "2026-04-10 08:15:30", None),
    ("unit_quarter", "2026-01-01", "2026-03-31", "2026-06-25 10:00:00", "QLTNN"),
    ("unit_month", "2026-05-01", "2026-05-31", "2026-06-25 10:00:00", "DCKS"),
    ("no_data", "2019-01-01", "2019-01-31", "2026-06-25 10:00:00", None),
    ("ministry_h1_unit_in_two_blocks", "2026-01-01", "2026-06-30", "2026-06-25 10:00:00", None),
)


def _dump(result: dict) -> str:
    # Exactly what the command line prints (data_access/cli.py).
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def _second_block(rows) -> None:
    """Put the first member of the 2026 movement's first block into its second block too."""
    import sqlalchemy as sa

    with rows.engine.begin() as conn:
        movement = conn.execute(sa.text("SELECT id FROM movements WHERE year = 2026 ORDER BY id")).scalar()
        block_ids = [r[0] for r in conn.execute(
            sa.text("SELECT id FROM blocks WHERE movement_id = :m ORDER BY id"), {"m": movement})]
        first = conn.execute(sa.text("SELECT unit_code FROM block_members WHERE block_id = :b ORDER BY unit_code"),
                             {"b": block_ids[0]}).scalar()
        conn.execute(sa.text("INSERT INTO block_members (block_id, unit_code) VALUES (:b, :u)"),
                     {"b": block_ids[1], "u": first})


@pytest.fixture
def demo(rows):
    init_demo({"procedures": rows.url, "tasks": rows.url, "emulation": rows.url},
              scale=0.03, seed=7, force=True, now=NOW, log=lambda _m: None)
    return rows


def test_report_json_is_unchanged(demo, sources, engine_url):
    engine = next(e for e in ("sqlite", "postgresql", "mariadb") if engine_url.startswith(e[:5]) or
                  (e == "mariadb" and engine_url.startswith("mysql")))
    mismatches = []
    for name, start, end, as_of, unit in CASES:
        if name.endswith("unit_in_two_blocks"):
            _second_block(demo)
        result = report.compute(sources, Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)),
                                dt.datetime.fromisoformat(as_of), Scope(unit))
        path = GOLDEN / f"kpis_{engine}_{name}.json"
        text = _dump(result)
        if RECORD:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            continue
        if path.read_text(encoding="utf-8") != text:
            mismatches.append(name)
            (GOLDEN.parent / ".golden-actual").mkdir(exist_ok=True)
            (GOLDEN.parent / ".golden-actual" / path.name).write_text(text, encoding="utf-8")
    assert not mismatches, f"report JSON changed on {engine} for: {', '.join(mismatches)}"
