"""`python -m data_access`: init-demo, kpis (the report contract of docs/kpis.md), check.

Exit status: 0 done, 2 a bad argument (one line on stderr), 3 a database that cannot
be reached (named on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

import sqlalchemy as sa

from . import model, settings
from .db import Database, SourceError, Sources, SourceUnavailable
from .model import Period, Scope, now
from .schema import units as U

EXIT_BAD_ARGUMENT = 2
EXIT_UNREACHABLE = 3


class BadArgument(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, status 2, as the contract asks
        # argparse quotes some values as they were typed: a line break in one would
        # break the message over several lines.
        sys.stderr.write(f"{self.prog}: error: {' '.join(message.splitlines())}\n")
        raise SystemExit(EXIT_BAD_ARGUMENT)


_RANGE = f"{model.EARLIEST.isoformat()} … {model.LATEST.isoformat()}"


def _in_range(value, text: str):
    if not model.supported(value):
        raise BadArgument(f"{text!r} is outside the supported dates {_RANGE}")
    return value


# strptime alone also takes "2026-1-1" and int() "2_026" or other scripts' digits: the
# forms the messages promise are checked first, as the app checks a link's dates.
_DAY_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?")
_YEAR_FORM = re.compile(r"[0-9]{4}")


def parse_date(text: str) -> dt.date:
    try:
        if not _DAY_FORM.fullmatch(text):
            raise ValueError
        day = dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise BadArgument(f"malformed date {text!r}, expected YYYY-MM-DD") from None
    return _in_range(day, text)


def parse_moment(text: str) -> dt.datetime:
    formats = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")
    for fmt in formats if _MOMENT_FORM.fullmatch(text.strip()) else ():
        try:
            moment = dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return _in_range(moment, text)
    raise BadArgument(f"malformed --as-of {text!r}, expected \"YYYY-MM-DD HH:MM[:SS]\"")


def parse_year(text: str) -> int:
    try:
        if not _YEAR_FORM.fullmatch(text):
            raise ValueError
        year = int(text)
    except ValueError:
        raise BadArgument(f"malformed year {text!r}, expected YYYY") from None
    if not model.EARLIEST.year <= year <= model.LATEST.year:
        raise BadArgument(f"year {text!r} is outside the supported dates {_RANGE}")
    return year


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m data_access", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("init-demo", help="generate the demo databases at the configured URLs")
    demo.add_argument("--scale", type=float, default=1.0, help="1 = about 200,000 dossiers; 50 = 10 million")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: the demo_seed setting)")
    demo.add_argument("--force", action="store_true", help="drop and regenerate existing demo tables")

    kpis = sub.add_parser("kpis", help="print every KPI of docs/kpis.md for a period")
    kpis.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    kpis.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    kpis.add_argument("--as-of", dest="as_of", default=None, metavar='"YYYY-MM-DD HH:MM[:SS]"')
    kpis.add_argument("--unit", default=None, metavar="CODE")
    kpis.add_argument("--structure", choices=("current", "historical"), default="current",
                      help="units as they are now (a unit answers for the units it took over) or as they were")
    kpis.add_argument("--by", choices=("unit",), default=None, help="also every unit's KPIs (by_unit)")
    kpis.add_argument("--format", choices=("json", "csv"), default="json")

    check = sub.add_parser("check", help="list data-quality findings in the three databases")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--examples", type=int, default=5, help="example ids shown per finding")
    return parser


def _ensure_demo() -> None:
    if all(settings.is_embedded_demo(s) for s in settings.SOURCE_NAMES):
        from .demo import ensure_demo_data

        ensure_demo_data(log=lambda msg: print(msg, file=sys.stderr))


def _known_unit(sources: Sources, code: str) -> bool:
    stmt = sa.select(sa.func.count()).select_from(U).where(U.c.code == sa.literal(code, sa.String))
    return bool(sources.procedures.scalar(stmt))


def run_kpis(args) -> int:
    from . import report

    start, end = parse_date(args.date_from), parse_date(args.date_to)
    if start > end:
        raise BadArgument(f"--from {start} is after --to {end}")
    # an empty --as-of is a malformed moment, as an empty --unit is no unit: never "now" unasked
    as_of = parse_moment(args.as_of) if args.as_of is not None else now()
    if args.unit is not None and not args.unit.strip():
        raise BadArgument("--unit needs a unit code")
    _ensure_demo()
    sources = Sources.from_settings()
    if args.unit is not None and not _known_unit(sources, args.unit):
        raise BadArgument(f"unknown unit {args.unit!r}")
    scope = Scope.of_unit(args.unit, args.structure) if args.unit else Scope.ministry(args.structure)
    result = report.compute(sources, Period(start, end), as_of, scope, by=args.by)
    sys.stdout.write(report.to_json(result) if args.format == "json" else report.to_csv(result))
    return 0


# Beyond this the generator's arrays (200,000 dossiers per unit of scale) no longer fit
# in a server's memory; "nan" and "inf" parse as floats but scale nothing.
MAX_DEMO_SCALE = 1000


def run_init_demo(args) -> int:
    from .demo import init_demo

    if not (0 < args.scale <= MAX_DEMO_SCALE):      # also false for nan
        raise BadArgument(f"--scale must be above 0 and at most {MAX_DEMO_SCALE}, not {args.scale!r}")
    if args.seed is not None and args.seed < 0:      # the generator's random streams refuse it
        raise BadArgument(f"--seed must be 0 or more, not {args.seed}")
    seed = args.seed if args.seed is not None else settings.get("demo_seed")
    urls = {s: settings.source_url(s) for s in settings.SOURCE_NAMES}
    if all(settings.is_embedded_demo(s) for s in settings.SOURCE_NAMES):
        settings.data_dir().mkdir(parents=True, exist_ok=True)
    # A URL that cannot be used or a server that does not answer is named with the
    # contract's status 3 before anything is written, not a traceback halfway.
    for source, url in urls.items():
        Database(source, url, read_only=False).ping()
    counts = init_demo(urls, scale=args.scale, seed=seed, force=args.force,
                       log=lambda msg: print(msg, file=sys.stderr))
    if not counts:
        print("demo data already present (use --force to regenerate)", file=sys.stderr)
    for table, n in counts.items():
        print(f"{table}\t{n}")
    return 0


def run_check(args) -> int:
    from . import quality

    _ensure_demo()
    findings = quality.check_all(Sources.from_settings(), examples=args.examples)
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        print(quality.format_text(findings))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"init-demo": run_init_demo, "kpis": run_kpis, "check": run_check}
    return dispatch(parser, args, handlers)


def dispatch(parser: argparse.ArgumentParser, args, handlers: dict) -> int:
    """Run the chosen command; a bad argument or a failing database becomes one line on
    stderr and the contract's exit status (shared by `python -m reports`)."""
    try:
        return handlers[args.command](args)
    except BadArgument as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_ARGUMENT
    except settings.SettingError as exc:   # an unknown setting name or a bad value
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_ARGUMENT
    except SourceError as exc:
        print(f"{parser.prog} {args.command}: {fault_words(exc)}", file=sys.stderr)
        return EXIT_UNREACHABLE if isinstance(exc, SourceUnavailable) else 1


def fault_words(exc: SourceError) -> str:
    """One line saying what went wrong with which source."""
    if exc.kind == "config":
        return f"the {exc.source} database's URL cannot be used: {exc.message}"
    if exc.kind == "unreachable":
        return f"cannot reach the {exc.source} database: {exc.message}"
    if exc.kind == "schema":
        return (f"the {exc.source} database has {exc.message} of the reporting schema "
                "(docs/schema.md); map it with a view")
    if exc.kind == "timeout":
        return (f"the {exc.source} database: {exc.message} (the query_timeout_seconds setting); "
                "the query was stopped")
    return f"the {exc.source} database failed a query: {exc.message}"
