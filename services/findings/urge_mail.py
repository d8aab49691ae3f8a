"""E-mail of reminders (催办) to the units' liaisons, sent by the page after the reminders
are committed (services/findings/urging.py). One message per unit and language, to the
unit's liaisons with an address, in the language each chose (else the default).

`translate` is i18n.translate, handed in: the text is the catalog's (`urge_mail.*`)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from email.utils import formataddr

from config import Settings, get_settings
from services.findings.urging import Delivery, UrgeMail

Translate = Callable[..., str]


def messages(mail: UrgeMail, *, sender: str, translate: Translate,
             default_language: str) -> list[EmailMessage]:
    """The unit's messages: one per language its liaisons read."""
    by_language: dict[str, list] = {}
    for person in mail.recipients:
        by_language.setdefault(person.language or default_language, []).append(person)
    out = []
    for lang, people in by_language.items():
        msg = EmailMessage()
        msg["Subject"] = _one_line(translate("urge_mail.subject", lang, unit=mail.unit,
                                             n=len(mail.items)))
        msg["From"] = sender
        msg["To"] = ", ".join(formataddr((_one_line(p.name), p.email)) for p in people)
        msg.set_content(_body(mail, lang, translate), charset="utf-8")
        out.append(msg)
    return out


def _one_line(text: str) -> str:
    """A header holds one line: a name imported with a line break must not start another
    header (the standard library would refuse the whole message)."""
    return " ".join(text.split())


def _body(mail: UrgeMail, lang: str, translate: Translate) -> str:
    lines = [translate("urge_mail.greeting", lang, unit=mail.unit), ""]
    for item in mail.items:
        deadline = item.deadline.isoformat() if item.deadline else "—"
        lines.append(translate("urge_mail.item", lang, id=item.finding_id,
                               description=item.description, deadline=deadline))
    if mail.note:
        lines += ["", translate("urge_mail.note", lang, note=mail.note)]
    lines += ["", translate("urge_mail.closing", lang)]
    return "\n".join(lines) + "\n"


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def deliver(mails: Iterable[UrgeMail], *, translate: Translate,
            settings: Settings | None = None) -> list[Delivery]:
    """Send each unit's messages over one connection; what happened to each unit's (no
    address: nothing to send, nothing reported). Nothing at all without SMTP settings."""
    settings = settings or get_settings()
    mails = [m for m in mails if m.recipients]
    if not settings.mail_configured or not mails:
        return []
    results: dict[int, str] = {}
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            for k, mail in enumerate(mails):
                try:
                    for msg in messages(mail, sender=settings.smtp_from, translate=translate,
                                        default_language=settings.default_language):
                        smtp.send_message(msg)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                        smtplib.SMTPSenderRefused, ValueError) as exc:
                    results[k] = describe(exc)
                else:
                    results[k] = ""
    except (OSError, smtplib.SMTPException) as exc:  # down, refused, timed out, TLS
        for k in range(len(mails)):
            results.setdefault(k, describe(exc))
    return [Delivery(mail.urge_ids, results[k]) for k, mail in enumerate(mails)]
