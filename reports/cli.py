"""`python -m reports`: the Government KPI report (kpis), the emulation report for the
Minister (emulation) and the slide deck (deck), written from the same engine as the app;
the push of a closed Decree 09 period's report to the Government side (push, reports.push:
exit 1 when it could not be delivered).

Exit status: 0 done, 2 a bad argument (one line on stderr), 3 a database that cannot
be reached (named on stderr), 1 a query that failed or a file that could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_access.cli import (
    BadArgument,
    _ensure_demo,
    _known_unit,
    _Parser,
    dispatch,
    parse_date,
    parse_moment,
    parse_year,
)
from data_access.db import Sources
from data_access.model import Period, Scope, now

LANGS = ("vi", "en")
KPI_FORMATS = ("json", "csv", "xlsx", "pdf")
EMULATION_FORMATS = ("xlsx", "pdf")
DECK_SUFFIXES = (".pptx", ".pdf")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m reports", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p, period: bool = True):
        if period:
            p.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
            p.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
        p.add_argument("--as-of", dest="as_of", default=None, metavar='"YYYY-MM-DD HH:MM[:SS]"',
                       help="the moment the figures are taken at (default: now)")
        p.add_argument("--unit", default=None, metavar="CODE", help="one unit (default: the whole ministry)")
        p.add_argument("--lang", choices=LANGS, default="vi", help="language of the file (default: vi)")

    def document(p):
        # The administrative document's fields; each defaults to its setting (README).
        g = p.add_argument_group("document (PDF, and the workbook's title block); default: the settings")
        g.add_argument("--number", default=None, help="the document's number (default: blank, filled in by hand)")
        g.add_argument("--signer-title", default=None, metavar="TITLE",
                       help="the signer's title, lines separated by '/' (default: blank)")
        g.add_argument("--signer-name", default=None, metavar="NAME", help="the signer's name (default: blank)")
        g.add_argument("--place", default=None, help="the place before the date (default: document_place)")
        g.add_argument("--addressee", default=None, help="who the report is addressed to")
        g.add_argument("--recipients", default=None, metavar="A;B;…", help="the recipients, separated by ';'")

    kpis = sub.add_parser("kpis", help="the KPI report for the Government operations centre (JSON, CSV, XLSX, PDF)")
    common(kpis)
    kpis.add_argument("--format", choices=KPI_FORMATS, default="json")
    kpis.add_argument("--out", default=None, metavar="FILE", help="write here (required for xlsx and pdf; default stdout)")
    document(kpis)

    emu = sub.add_parser("emulation", help="the six-monthly / year-end emulation report for the Minister")
    emu.add_argument("--year", required=True, metavar="YYYY")
    emu.add_argument("--period", required=True, type=str.upper, choices=("H1", "FY"))
    common(emu, period=False)
    emu.add_argument("--format", choices=EMULATION_FORMATS, required=True)
    emu.add_argument("--out", required=True, metavar="FILE")
    document(emu)

    deck = sub.add_parser("deck", help="the slide deck (PPTX or PDF, by the suffix of --out)")
    common(deck)
    deck.add_argument("--slides", default=None, metavar="KEY,KEY…",
                      help="slides to include, in order (default: all)")
    deck.add_argument("--out", required=True, metavar="FILE.pptx|FILE.pdf")

    # The push of a closed Decree 09 period's report to the Government side (reports.push).
    push = sub.add_parser("push", help="post the KPI report of the Decree 09 period just closed to push_url, signed")
    push.add_argument("--period", required=True, choices=("month", "quarter", "half", "year"))
    push.add_argument("--at", default=None, metavar="YYYY-MM-DD",
                      help="the day seen from (default: today): the period closed most recently before it")
    return parser


# --- argument checks ---------------------------------------------------------------------
def _period(args) -> Period:
    start, end = parse_date(args.date_from), parse_date(args.date_to)
    if start > end:
        raise BadArgument(f"--from {start} is after --to {end}")
    return Period(start, end)


def _as_of(args):
    # an empty --as-of is a malformed moment, as an empty --unit is no unit: never "now" unasked
    return parse_moment(args.as_of) if args.as_of is not None else now()


def _out(path_text: str | None, suffixes: tuple[str, ...]) -> Path | None:
    if path_text is None:
        return None
    if not path_text.strip():
        raise BadArgument("--out needs a file name")
    if "\x00" in path_text:       # no file system takes it; opening it would raise, not fail
        raise BadArgument(f"--out {path_text!r} holds a NUL character")
    path = Path(path_text)
    if path.suffix.lower() not in suffixes:
        raise BadArgument(f"--out {path_text!r} must end in {' or '.join(suffixes)}")
    if not path.parent.is_dir():
        raise BadArgument(f"--out {path_text!r}: folder {str(path.parent)!r} does not exist")
    return path


def _fields(args, kind: str):
    """The document's fields: the settings, with what the command line gives instead."""
    from .document import from_settings, split_recipients

    fields = from_settings(kind)
    given = {name: getattr(args, name) for name in ("number", "signer_title", "signer_name", "place", "addressee")
             if getattr(args, name) is not None}
    if args.recipients is not None:
        given["recipients"] = split_recipients(args.recipients)
    return fields.with_(**given)


def _sources_and_scope(args) -> tuple[Sources, Scope]:
    if args.unit is not None and not args.unit.strip():
        raise BadArgument("--unit needs a unit code")
    _ensure_demo()
    sources = Sources.from_settings()
    if args.unit is not None and not _known_unit(sources, args.unit):
        raise BadArgument(f"unknown unit {args.unit!r}")
    return sources, Scope.of_unit(args.unit) if args.unit else Scope.ministry()


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    print(f"wrote {path} ({_size(len(data))})", file=sys.stderr)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024 / 1024:.1f} MiB"


# --- commands ------------------------------------------------------------------------------
def run_kpis(args) -> int:
    from . import government

    period, as_of = _period(args), _as_of(args)
    out = _out(args.out, (f".{args.format}",))
    if args.format in ("xlsx", "pdf") and out is None:
        raise BadArgument(f"--format {args.format} needs --out FILE.{args.format}")
    sources, scope = _sources_and_scope(args)
    result = government.report(sources, period, as_of, scope)
    if args.format == "json":
        data = government.to_json(result)
    elif args.format == "csv":
        data = government.to_csv(result)
    else:
        # The same names and fields as the Reports page's copy (government.context).
        context, fields = government.context(sources, result), _fields(args, "government")
        data = government.to_xlsx(result, args.lang, context.unit_names, context.ministry, fields) \
            if args.format == "xlsx" else government.to_pdf(result, args.lang, context, fields)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write(out, data)
    return 0


def run_emulation(args) -> int:
    from . import emulation_report

    args.year = parse_year(args.year)
    as_of = _as_of(args)
    out = _out(args.out, (f".{args.format}",))
    sources, scope = _sources_and_scope(args)
    try:
        rep = emulation_report.report(sources, args.year, args.period, as_of, scope)
    except emulation_report.NoMovement as exc:
        raise BadArgument(str(exc)) from None
    writer = emulation_report.to_xlsx if args.format == "xlsx" else emulation_report.to_pdf
    _write(out, writer(rep, args.lang, fields=_fields(args, "emulation")))
    return 0


def run_deck(args) -> int:
    # Imported here: the deck builders are only needed by this command.
    from . import slides
    from .emulation_report import ministry_name, unit_names

    period, as_of = _period(args), _as_of(args)
    out = _out(args.out, DECK_SUFFIXES)
    try:
        keys = slides.parse_keys(args.slides) if args.slides is not None else tuple(slides.SLIDE_KEYS)
    except ValueError as exc:
        raise BadArgument((str(exc).splitlines() or [f"unknown slide in {args.slides!r}"])[0]) from None
    from . import deck

    sources, scope = _sources_and_scope(args)
    names = unit_names(sources)
    built = slides.build(sources, period, as_of, scope, args.lang, keys, unit_names=names)
    meta = slides.meta(period, as_of, scope, args.lang, unit_names=names,
                       ministry=ministry_name(sources, as_of.date()))
    deck.write(out, built, meta)
    print(f"wrote {out} ({_size(out.stat().st_size)})", file=sys.stderr)
    return 0


def run_push(args) -> int:
    """Exit 0 delivered (or already delivered), 1 not delivered after its attempts."""
    import auth
    from auth.audit import AuditLog
    from data_access import settings

    from . import push

    today = now().date()
    at = parse_date(args.at) if args.at is not None else today
    if at > today:
        raise BadArgument(f"--at {at} is after today ({today}): that period has not closed")
    url, secret = str(settings.get("push_url")).strip(), str(settings.get("push_secret"))
    if not url:
        raise BadArgument("the push_url setting is empty: nowhere to push (README, settings)")
    if not url.lower().startswith(("http://", "https://")):
        raise BadArgument("the push_url setting must be an http:// or https:// URL")
    if not secret:
        raise BadArgument("the push_secret setting is empty: the report would go unsigned")
    from sqlalchemy.exc import SQLAlchemyError

    _ensure_demo()
    log = AuditLog(str(auth.config("app_db_url")))
    try:
        done = push.push(log, Sources.from_settings(), args.period, at, url=url, secret=secret,
                         attempts=int(settings.get("push_attempts")),
                         backoff=float(settings.get("push_backoff_seconds")),
                         timeout=float(settings.get("push_timeout_seconds")), clock=auth.clock)
    except SQLAlchemyError as exc:       # the app's own database, where the versions are kept
        print(f"{parser_prog()} push: the app's database cannot be reached: {str(exc).splitlines()[0]}",
              file=sys.stderr)
        return 3
    finally:
        log.dispose()
    span = f"{args.period} {done.period.start}…{done.period.end}"
    if done.repeat:
        print(f"{span}: version {done.version} already delivered; nothing sent", file=sys.stderr)
        return 0
    if done.delivered:
        print(f"{span}: version {done.version} delivered (attempt {done.attempts})", file=sys.stderr)
        return 0
    print(f"{parser_prog()} push: {span}: version {done.version} not delivered after {done.attempts} "
          f"attempt(s): {done.detail}", file=sys.stderr)
    return 1


def parser_prog() -> str:
    return "python -m reports"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"kpis": run_kpis, "emulation": run_emulation, "deck": run_deck, "push": run_push}
    try:
        return dispatch(parser, args, handlers)
    except OSError as exc:
        print(f"{parser.prog} {args.command}: cannot write {exc.filename or args.out}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
