"""A notice's life as data, its number's text, and the checks every write shares.

    draft ──submit──> awaiting ──sign──> signed ──issue──> issued
      ^                  │                  │
      └─return, withdraw─┴─────withdraw─────┘

A leader returns a notice with comments; the office withdraws one to mend it (a finding
reopened or a recipient closed since it was signed); either way the sign-off goes.

An issued notice is never edited: a correction is a new draft that refers to it."""

from __future__ import annotations

from config import get_settings
from db.models import Notice, NoticeKind, NoticeStatus, NoticeStatusChange, User
from services.core.errors import Conflict
from services.core.lifecycle import Lifecycle
from services.core.uow import UnitOfWork
from services.core.validation import check_version

DRAFT, AWAITING = NoticeStatus.DRAFT, NoticeStatus.AWAITING
SIGNED, ISSUED = NoticeStatus.SIGNED, NoticeStatus.ISSUED

LIFECYCLE = Lifecycle(
    "notice",
    {
        None: frozenset({DRAFT}),
        DRAFT: frozenset({AWAITING}),
        AWAITING: frozenset({DRAFT, SIGNED}),
        SIGNED: frozenset({ISSUED, DRAFT}),
        ISSUED: frozenset(),
    },
    log=NoticeStatusChange,
    owner="notice_id",
)


def prefix(kind: str) -> str:
    settings = get_settings()
    return {
        NoticeKind.CRITICISM: settings.notice_prefix_criticism,
        NoticeKind.COMMENDATION: settings.notice_prefix_commendation,
        NoticeKind.SITUATION: settings.notice_prefix_situation,
    }[NoticeKind(kind)]


def series(kind: str) -> str:
    """The counter a kind numbers from: kinds printed under the same prefix share one series
    (the first such kind's), so no two notices ever carry the same 文号; kinds with prefixes
    of their own count apart."""
    own = prefix(kind)
    return next(k.value for k in NoticeKind if prefix(k) == own)


def number_text(notice: Notice) -> str | None:
    """嘉效办〔2026〕12号: hexagonal brackets, no leading zeros; None before issue."""
    if notice.number_seq is None or notice.number_year is None:
        return None
    return (f"{notice.number_prefix or prefix(notice.kind)}"
            f"〔{notice.number_year}〕{notice.number_seq}号")


def for_write(uow: UnitOfWork, notice_id: int, version: int | None) -> Notice:
    """The notice locked for a change; an issued one is refused whatever the change, and
    a form based on an older copy is refused as stale."""
    notice = uow.get(Notice, notice_id)
    if notice.status == ISSUED:
        raise Conflict("notice.issued_readonly")
    check_version(notice.version, version)
    return notice


def move(uow: UnitOfWork, notice: Notice, to: str, *, actor: User, note: str = "",
         at=None) -> None:
    LIFECYCLE.move(uow.session, notice, to, actor=actor, note=note, at=at)
