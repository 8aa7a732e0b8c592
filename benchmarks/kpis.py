"""Time the full KPI set (the `kpis` report) for a year, whole ministry, cold.

    python -m benchmarks.kpis              # the configured sources (default: demo data)
    python -m benchmarks.kpis --scale 5    # 1,000,000 demo dossiers in data/bench-scale-5/
    python -m benchmarks.kpis --scale 5 --url postgresql+psycopg://postgres@127.0.0.1:5432/bench

"Cold" means no application cache and a new engine (new connections) for every run;
the operating system's file cache is left as it is.
"""

from __future__ import annotations

import argparse
import statistics
import time

import sqlalchemy as sa

from data_access import db as dbmod, report, schema, settings
from data_access.db import Sources
from data_access.model import Period, Scope, now


def _sources_for_scale(scale: float, seed: int, url: str | None) -> Sources:
    from data_access.demo import init_demo

    if url:
        urls = {name: url for name in settings.SOURCE_NAMES}
    else:
        folder = settings.data_dir() / f"bench-scale-{scale:g}"
        folder.mkdir(parents=True, exist_ok=True)
        urls = {name: f"sqlite:///{folder / (name + '.sqlite')}" for name in settings.SOURCE_NAMES}
    started = time.perf_counter()
    counts = init_demo(urls, scale=scale, seed=seed, force=bool(url))
    if counts:
        print(f"generated {counts.get('dossiers', 0):,} dossiers in {time.perf_counter() - started:.1f} s")
    return Sources(**{name: dbmod.Database(name, url) for name, url in urls.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=None, help="generate and use demo data of this scale")
    parser.add_argument("--url", default=None,
                        help="with --scale: generate into this SQLAlchemy URL (all three sources) instead of SQLite")
    parser.add_argument("--seed", type=int, default=settings.get("demo_seed"))
    parser.add_argument("--year", type=int, default=None, help="default: the current year")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    if args.scale is not None:
        sources = _sources_for_scale(args.scale, args.seed, args.url)
    else:
        if all(settings.is_embedded_demo(s) for s in settings.SOURCE_NAMES):
            from data_access.demo import ensure_demo_data

            ensure_demo_data()
        sources = Sources.from_settings()
    as_of = now()
    period = Period.year(args.year or as_of.year)
    dossiers = sources.procedures.scalar(sa.select(sa.func.count()).select_from(schema.dossiers))
    timings = []
    for _ in range(args.repeat):
        dbmod.dispose_all()
        for source in sources:
            source._engine = None  # noqa: SLF001 - a cold engine each run is the point
        started = time.perf_counter()
        result = report.compute(sources, period, as_of, Scope.ministry())
        timings.append(time.perf_counter() - started)
    print(f"dialect {sources.procedures.dialect}; {dossiers:,} dossiers; period {period.start}..{period.end}; as of {as_of}")
    print(f"procedures.received {result['kpis']['procedures.received']:,}; "
          f"{len(result['emulation_scores'])} emulation scores")
    print(f"full KPI set, cold: min {min(timings):.3f} s, median {statistics.median(timings):.3f} s, "
          f"max {max(timings):.3f} s over {args.repeat} runs")


if __name__ == "__main__":
    main()
