"""`python -m auth users ...`: manage accounts in the configured users file;
`python -m auth sessions list|end USER`: the open sign-in sessions;
`python -m auth clients add|list|revoke|rotate`: the API's clients (auth.clients).

Passwords come from a getpass prompt (asked twice) or one line on stdin with
`--password-stdin`; they are never echoed, printed or logged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from data_access.settings import SettingError

from . import ROLES, config
from .demo import demo_usernames_present
from .clients import ClientError
from .users import UserError, UserStore, validate_profile, validate_username


class _BadArgument(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse would print the usage too)
        raise _BadArgument(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m auth", description="Manage dashboard sign-in accounts.")
    top = p.add_subparsers(dest="group", required=True, parser_class=_Parser)
    users = top.add_parser("users", help="user accounts")
    sub = users.add_subparsers(dest="command", required=True, parser_class=_Parser)

    add = sub.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, help=" | ".join(ROLES))
    add.add_argument("--unit", help="unit code (unit_head only)")
    add.add_argument("--password-stdin", action="store_true", help="read the password as one line from stdin")

    for name, text in (("disable", "disable a user (keeps the account)"), ("enable", "enable a user"),
                       ("remove", "delete a user")):
        c = sub.add_parser(name, help=text)
        c.add_argument("username")

    reset = sub.add_parser("reset-password", help="set a new password")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="read the password as one line from stdin")

    sub.add_parser("remove-demo", help="delete the demo accounts (required before serving real databases)")
    sub.add_parser("list", help="list users (never a password or hash)")

    sessions = top.add_parser("sessions", help="open sign-in sessions")
    ssub = sessions.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ssub.add_parser("list", help="list the open sessions")
    end = ssub.add_parser("end", help="end every open session of a user at once")
    end.add_argument("username")

    # API clients: the machines reading /api/v1/ (auth.clients, docs/api.md).
    clients = top.add_parser("clients", help="API clients of the HTTP feed (bearer tokens)")
    csub = clients.add_subparsers(dest="command", required=True, parser_class=_Parser)
    cadd = csub.add_parser("add", help="add a client and print its token (once)")
    cadd.add_argument("name")
    cadd.add_argument("--scope", required=True, help="ministry | unit:CODE")
    cadd.add_argument("--expires", default=None, metavar="YYYY-MM-DD", help="the last day the token is accepted")
    csub.add_parser("list", help="list clients (never a token)")
    for name, text in (("revoke", "refuse the client's token from now on"),
                       ("rotate", "a new token for the client (the old one stops working); printed once")):
        c = csub.add_parser(name, help=text)
        c.add_argument("name")
    return p


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _BadArgument("no password on stdin")
        return line.rstrip("\r\n")
    try:
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
    except (EOFError, KeyboardInterrupt):
        raise _BadArgument("no password given") from None
    if first != second:
        raise _BadArgument("the two passwords differ")
    return first


def _check_unit(unit: str | None) -> None:
    """A unit head's unit must be a code of the `units` table; when the procedures
    database cannot be reached, say so and go on (the app denies an unknown unit anyway)."""
    if not unit:
        return
    import sqlalchemy as sa

    from data_access.db import Database, SourceError
    from data_access.schema import units
    from data_access.settings import source_url

    try:
        codes = {row[0] for row in Database("procedures", source_url("procedures")).execute(sa.select(units.c.code))}
    except SourceError as exc:
        print(f"python -m auth: warning: unit {unit} not checked: {exc}", file=sys.stderr)
        return
    if unit not in codes:
        raise UserError(f"unknown unit: {unit} (not in the units table)")


def _sessions_command(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from . import clock
    from .audit import AuditLog
    from .sessions import SessionStore

    log = AuditLog(str(config("app_db_url")))
    try:
        store = SessionStore(log)
        if args.command == "list":
            idle = dt.timedelta(minutes=float(config("session_minutes")))
            rows = [["username", "signed in", "last action", "expires", "address"]]
            rows += [[s.username, f"{s.created_at:%Y-%m-%d %H:%M:%S}", f"{s.last_seen_at:%Y-%m-%d %H:%M:%S}",
                      f"{s.expires_at:%Y-%m-%d %H:%M:%S}", s.address or "-"]
                     for s in store.open_sessions(clock(), idle)]
            print(_table(rows) if len(rows) > 1 else "no open session")
        else:
            username = validate_username(args.username)
            ended = store.end_user(username, clock(), "ended_by_admin")
            if ended:
                log.record("session_ended", username, f"{ended} session(s): ended from the command line")
            print(f"ended {ended} open session(s) of {username}")
    except (SQLAlchemyError, OSError) as exc:
        return _unreachable(exc)
    finally:
        log.dispose()
    return 0


def _unreachable(exc: Exception) -> int:
    """Say that the app's database cannot be reached; the exit status 3."""
    print(f"python -m auth: error: the app's database cannot be reached: {str(exc).splitlines()[0]}", file=sys.stderr)
    return 3


def _clients_command(args) -> int:
    """`clients add|list|revoke|rotate`: a token is printed once, on stdout, alone on its
    line (so a script can take it); only its SHA-256 is kept."""
    from sqlalchemy.exc import SQLAlchemyError

    from . import clock
    from .audit import AuditLog
    from .clients import ClientStore, validate_name, validate_scope

    expires = None
    if args.command == "add":
        validate_name(args.name)
        scope = validate_scope(args.scope)
        if args.expires is not None:
            try:
                expires = dt.date.fromisoformat(args.expires) if len(args.expires) == 10 else None
            except ValueError:
                expires = None
            if expires is None:
                raise ClientError(f"malformed --expires {args.expires!r}, expected YYYY-MM-DD")
            if expires < clock().date():
                raise ClientError(f"--expires {expires} is in the past")
        if scope != "ministry":
            _check_unit(scope.split(":", 1)[1])
    log = AuditLog(str(config("app_db_url")))
    try:
        store = ClientStore(log)
        if args.command == "add":
            client, token = store.add(args.name, args.scope, expires, clock())
            print(f"added client {client.name} ({client.scope}"
                  f"{', until ' + client.expires_on.isoformat() if client.expires_on else ''}); "
                  "its token, shown only now:", file=sys.stderr)
            print(token)
        elif args.command == "rotate":
            client, token = store.rotate(args.name, clock())
            print(f"new token for {client.name}; the old one no longer works. Shown only now:", file=sys.stderr)
            print(token)
        elif args.command == "revoke":
            client = store.revoke(args.name, clock())
            print(f"revoked {client.name}")
        else:
            from api.calls import last_calls

            last = last_calls(log)
            today = clock().date()
            rows = [["name", "scope", "created", "expires", "state", "last call"]]
            for c in store.list():
                state = c.refusal(today) or "active"
                rows.append([c.name, c.scope, f"{c.created_at:%Y-%m-%d %H:%M}",
                             c.expires_on.isoformat() if c.expires_on else "-", state,
                             f"{last[c.name]:%Y-%m-%d %H:%M:%S}" if c.name in last else "-"])
            print(_table(rows) if len(rows) > 1 else "no API client")
    except (SQLAlchemyError, OSError) as exc:
        return _unreachable(exc)
    finally:
        log.dispose()
    return 0


def _end_sessions(username: str, reason: str) -> None:
    """End the account's open sessions at once (its next page run shows the sign-in form);
    when the app's database cannot be reached, say so: the app still refuses a disabled
    or removed account and a changed password on the next run, from the users file."""
    from sqlalchemy.exc import SQLAlchemyError

    from . import clock
    from .audit import AuditLog
    from .sessions import SessionStore

    log = AuditLog(str(config("app_db_url")))
    try:
        ended = SessionStore(log).end_user(username, clock(), reason)
        if ended:
            log.record("session_ended", username, f"{ended} session(s): {reason.replace('_', ' ')}")
    except (SQLAlchemyError, OSError) as exc:
        print(f"python -m auth: warning: sessions of {username} not ended: the app's database: "
              f"{str(exc).splitlines()[0]}", file=sys.stderr)
        return
    finally:
        log.dispose()
    if ended:
        print(f"ended {ended} open session(s) of {username}")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.group == "sessions":
            return _sessions_command(args)
        if args.group == "clients":
            return _clients_command(args)
        store = UserStore(config("users_file"))
        if args.command == "add":
            # Everything but the password is checked before asking for it.
            _, _, _, unit = validate_profile(args.name, args.email, args.role, args.unit)
            _check_unit(unit)
            if store.get(validate_username(args.username)) is not None:
                raise UserError(f"user already exists: {args.username.strip().lower()}")
            user = store.add(args.username, name=args.name, email=args.email, role=args.role,
                             unit=args.unit, password=_read_password(args.password_stdin))
            print(f"added {user.username} ({user.role}{', ' + user.unit if user.unit else ''})")
        elif args.command == "disable":
            user = store.disable(args.username)
            print(f"disabled {user.username}")
            _end_sessions(user.username, "account_disabled")
        elif args.command == "enable":
            print(f"enabled {store.enable(args.username).username}")
        elif args.command == "remove":
            user = store.remove(args.username)
            print(f"removed {user.username}")
            _end_sessions(user.username, "account_removed")
        elif args.command == "remove-demo":
            removed = [store.remove(name).username for name in demo_usernames_present(store)]
            print(f"removed {', '.join(removed)}" if removed else "no demo accounts")
            for name in removed:
                _end_sessions(name, "account_removed")
        elif args.command == "reset-password":
            if store.get(args.username) is None:
                raise UserError(f"no such user: {args.username.strip().lower()}")
            user = store.reset_password(args.username, _read_password(args.password_stdin))
            print(f"password reset for {user.username}")
            _end_sessions(user.username, "password_reset")
        elif args.command == "list":
            rows = [["username", "name", "role", "unit", "disabled"]]
            rows += [[u.username, u.name, u.role, u.unit or "-", "yes" if u.disabled else "no"] for u in store.list()]
            print(_table(rows))
    except (_BadArgument, UserError, SettingError, ClientError) as exc:  # a setting: unknown name or bad value
        print(f"python -m auth: error: {str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__}",
              file=sys.stderr)
        return 2
    return 0
