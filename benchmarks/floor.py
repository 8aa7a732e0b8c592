"""How close to one scan a KPI pass can come on PostgreSQL: the year's dossier pass of
`data_access.measures` beside the same rows with less and less work per row.

    python -m benchmarks.floor --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench

Each statement reads what the year's pass reads (dossiers received or decided in
2026-01-01 … 2026-11-30 12:00, the bench's as-of); min of `--repeat` runs, interleaved:

  scan        one full scan of dossiers, as (d) of benchmarks.kpis
  filter      those rows counted per unit: the WHERE alone
  flags       grouped per unit and window flag (received in it, decided in it,
              withdrawn by as-of), one count: the pass with no measure at all
  pass        the engine's own statement (every measure of the two facts)
  literal     the same with its values written into the text
"""

from __future__ import annotations

import argparse
import time

import sqlalchemy as sa

RECEIVED = "received_at >= '2026-01-01' AND received_at <= '2026-11-30 12:00:00'"
DECIDED = "finished_at >= '2026-01-01' AND finished_at <= '2026-11-30 12:00:00'"
WHERE = f" FROM dossiers WHERE ({RECEIVED}) OR ({DECIDED})"
FLAGS = (f"({RECEIVED}) AS r0, ({DECIDED} AND status IN ('approved', 'rejected')) AS f0, "
         "(status = 'withdrawn' AND finished_at IS NOT NULL AND finished_at <= '2026-11-30 12:00:00') AS w0")

STATEMENTS = {
    "scan": "SELECT COUNT(*), SUM(LENGTH(id)) FROM dossiers",
    "filter": "SELECT unit_code, count(*)" + WHERE + " GROUP BY unit_code",
    "flags": f"SELECT unit_code, {FLAGS}, count(*)" + WHERE + " GROUP BY 1, 2, 3, 4",
}


def engine_pass(url: str) -> sa.Select:
    """The year's pass exactly as the engine builds it."""
    import datetime as dt

    from data_access import measures
    from data_access.db import Database
    from data_access.model import Period, Scope

    db = Database("procedures", url)
    wanted = {"dossiers_received": measures.FACTS["dossiers_received"].measures,
              "dossiers_finished": measures.FACTS["dossiers_finished"].measures}
    window = measures.Window(Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), dt.datetime(2026, 11, 30, 12))
    captured: list[sa.Select] = []
    original = db.execute

    def capture(query, *args, **kwargs):
        captured.append(query)
        return original(query, *args, **kwargs)

    db.execute = capture  # type: ignore[method-assign]
    measures.flow_pass(db, wanted, [window], Scope.ministry(), "unit")
    return captured[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    engine = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    statements: dict[str, sa.Executable] = {k: sa.text(v) for k, v in STATEMENTS.items()}
    statements["pass"] = engine_pass(args.postgres)
    # The same statement with its values written in (no bound parameters).
    statements["literal"] = sa.text(str(statements["pass"].compile(
        dialect=engine.dialect, compile_kwargs={"literal_binds": True})))
    best = {name: float("inf") for name in statements}
    with engine.connect() as conn:
        for statement in statements.values():      # warm the buffers once
            conn.execute(statement).fetchall()
        for _ in range(args.repeat):
            for name, statement in statements.items():
                started = time.perf_counter()
                conn.execute(statement).fetchall()
                best[name] = min(best[name], time.perf_counter() - started)
    scan = best["scan"]
    for name, seconds in best.items():
        print(f"  {name:8s} {seconds * 1000:7.0f} ms   {seconds / scan:4.2f} × scan")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
