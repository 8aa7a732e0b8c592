"""`python -m alerts`: deadline reminders, alerts and scheduled reports by e-mail.

  run                      evaluate every rule as of now and send what is due (idempotent)
  run --dry-run --out DIR  write the messages as .eml files instead; nothing is sent or kept
  preview --user NAME      print what that user would get today
  rules                    check the rule catalogue and list its rules

Exit status: 0 done, 2 a bad argument or setting (one line on stderr), 3 a database or
the mail server that cannot be reached (messages stay pending for the next run), 1 a
query that failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa

from data_access import settings
from data_access.cli import EXIT_BAD_ARGUMENT, EXIT_UNREACHABLE, BadArgument, _Parser, dispatch

from .deliver import SmtpConfigError
from .rules import RuleError


def build_parser() -> _Parser:
    parser = _Parser(prog="python -m alerts", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="evaluate every rule as of now and send what is due")
    run.add_argument("--dry-run", action="store_true", help="write the messages as .eml files instead of sending")
    run.add_argument("--out", default=None, metavar="DIR", help="where --dry-run writes the .eml files")
    preview = sub.add_parser("preview", help="print what a user would get today")
    preview.add_argument("--user", required=True, metavar="NAME")
    preview.add_argument("--html", action="store_true", help="print the HTML part instead of the plain text")
    sub.add_parser("rules", help="check the rule catalogue and list its rules")
    return parser


def _store():
    from .store import Store

    return Store()


def run_run(args) -> int:
    from . import run as runner

    if args.dry_run:
        if not args.out or not args.out.strip():
            raise BadArgument("--dry-run needs --out DIR")
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            raise BadArgument(f"--out {args.out!r} is not a folder")
        result = runner.dry_run(out, _store())
        print(f"wrote {len(result.written)} message(s) to {out}", file=sys.stderr)
        return 0
    if args.out is not None:
        raise BadArgument("--out goes with --dry-run")
    result = runner.run(_store(), log=lambda line: print(line, file=sys.stderr))
    print(f"queued {result.queued}, sent {result.sent}, failed {result.failed}, pending {result.pending}",
          file=sys.stderr)
    if result.smtp_error:
        print(f"python -m alerts run: cannot reach the mail server: {result.smtp_error}; "
              f"{result.pending} message(s) kept for the next run", file=sys.stderr)
        return EXIT_UNREACHABLE
    return 0


def run_preview(args) -> int:
    import auth
    from auth.users import UserStore, normalize_username

    from . import message, run as runner

    name = normalize_username(args.user)
    user = UserStore(auth.config("users_file")).get(name)
    if user is None:
        raise BadArgument(f"unknown user {args.user!r}")
    store = _store()
    ctx, dues = runner.prepare(store, only_user=name)
    if not dues:
        why = "" if user.email and not user.disabled else " (no e-mail address, or the account is disabled)"
        print(f"{name} gets nothing today{why}")
        return 0
    for due in dues:
        built = message.build(ctx, due)
        print(f"=== {due.rule.id} · {due.item} · {due.day.isoformat()}")
        print(f"To: {due.recipient.email}")
        print(f"Subject: {built.subject}")
        for a in built.attachments:
            print(f"Attachment: {a.filename} ({len(a.content)} bytes)")
        print()
        print(built.html if args.html else built.text)
    return 0


def run_rules(args) -> int:
    from .rules import catalogue_path, load

    rules = load()
    print(f"{catalogue_path()}: {len(rules)} rule(s)")
    for r in rules:
        audience = r.role + (f" of {r.unit}" if r.unit else "")
        params = ", ".join(f"{k}={v}" for k, v in r.params.items())
        print(f"  {r.id:<24} {audience:<20} {r.kind}({params})  {r.name_vi}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"run": run_run, "preview": run_preview, "rules": run_rules}
    try:
        return dispatch(parser, args, handlers)
    except (RuleError, SmtpConfigError, settings.SettingError) as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_ARGUMENT
    except sa.exc.OperationalError as exc:
        # The app's own database (the outbox, the subscriptions) cannot be reached.
        print(f"{parser.prog} {args.command}: cannot reach the app's own database: "
              f"{str(exc.orig).splitlines()[0][:300] if exc.orig else exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except OSError as exc:
        # --out that cannot be written.
        print(f"{parser.prog} {args.command}: {exc}", file=sys.stderr)
        return 1
