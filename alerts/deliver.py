"""Sending through SMTP (`smtp_*` settings): STARTTLS, SSL or a plain connection, a
sign-in when `smtp_user` is set. A failure is sorted into transient (the server is down,
busy, or answers 4xx: tried again with backoff, then kept for the next run) and permanent
(5xx, such as an unknown address: recorded, never tried again)."""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from dataclasses import dataclass

from data_access import settings

SECURITY = ("none", "starttls", "ssl")
RETRIES = 3                  # tries of one message within a run
BACKOFF_SECONDS = 1.0        # the wait before the second try, doubled before each next


class SmtpConfigError(ValueError):
    """The SMTP settings cannot be used (a bad argument: exit 2)."""


class Transient(Exception):
    """Worth trying again later."""


class Unreachable(Transient):
    """The server cannot be reached at all: no message can go this run."""


class SignInRefused(Unreachable):
    """The server refused smtp_user's sign-in: no message can go until the settings change
    (not tried again within the run)."""


class Permanent(Exception):
    """The server refused this message for good."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str
    timeout: float = 20.0

    @classmethod
    def from_settings(cls) -> "SmtpConfig":
        host = str(settings.get("smtp_host")).strip()
        security = str(settings.get("smtp_security")).strip().lower()
        if security not in SECURITY:
            raise SmtpConfigError(f"smtp_security = {security!r} must be one of {', '.join(SECURITY)}")
        user = str(settings.get("smtp_user")).strip()
        sender = str(settings.get("mail_from")).strip() or user
        port = int(settings.get("smtp_port"))
        if not 0 < port < 65536:
            raise SmtpConfigError(f"smtp_port = {port} is not a port")
        return cls(host, port, security, user, str(settings.get("smtp_password")), sender)

    def check(self) -> None:
        if not self.host:
            raise SmtpConfigError("smtp_host is not set: no mail server to send through (see docs/alerts.md)")
        if "@" not in self.sender:
            raise SmtpConfigError("mail_from (or smtp_user) must be an e-mail address: the sender of the alerts")


def _classify(exc: BaseException) -> Exception:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in exc.recipients.values())
        return Permanent(text) if codes and all(c >= 500 for c in codes) else Transient(text)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return SignInRefused(f"sign-in refused: {text}")
        return Permanent(text) if exc.smtp_code >= 500 else Transient(text)
    if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError, socket.timeout, TimeoutError, OSError,
                        smtplib.SMTPConnectError, ssl.SSLError)):
        return Unreachable(f"{type(exc).__name__}: {exc}")
    return Transient(f"{type(exc).__name__}: {exc}")


class Mailer:
    """One connection for a run, opened on the first message and opened again after a drop."""

    def __init__(self, config: SmtpConfig, retries: int = RETRIES, backoff: float | None = None, sleep=time.sleep):
        self.config, self.retries, self.sleep = config, retries, sleep
        self.backoff = BACKOFF_SECONDS if backoff is None else backoff
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        if c.security == "ssl":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            if c.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if c.user:
            smtp.ehlo_or_helo_if_needed()
            offered = smtp.esmtp_features.get("auth", "").upper().split()
            if "PLAIN" in offered:
                # One mechanism: smtplib's login() goes on to the next after a refusal,
                # and some servers then wait for a LOGIN dialogue until the timeout.
                smtp.user, smtp.password = c.user, c.password
                smtp.auth("PLAIN", smtp.auth_plain)
            else:
                smtp.login(c.user, c.password)
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None

    def _once(self, raw: bytes, to: str) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.sendmail(self.config.sender_address, [to], raw)
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            self.close()
            raise _classify(exc) from exc

    def send(self, raw: bytes, to: str) -> None:
        """Send once, retrying a transient failure with growing waits; raises Transient,
        Unreachable (after the retries) or Permanent."""
        delay = self.backoff
        for attempt in range(1, self.retries + 1):
            try:
                return self._once(raw, to)
            except Transient as exc:
                if attempt == self.retries or isinstance(exc, SignInRefused):
                    raise
                self.sleep(delay)
                delay *= 2


def _address(sender: str) -> str:
    from email.utils import parseaddr

    return parseaddr(sender)[1] or sender


SmtpConfig.sender_address = property(lambda self: _address(self.sender))  # type: ignore[attr-defined]
