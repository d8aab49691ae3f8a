"""Notices (通报): criticism, commendation and situation reports the office composes, a
leader signs off and the office issues under a number of the form 嘉效办〔2026〕12号. Rules in
services/notices/."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from db.models import one_of
from db.timeutil import utcnow


class NoticeKind(StrEnum):
    CRITICISM = "criticism"  # 通报批评
    COMMENDATION = "commendation"  # 通报表扬
    SITUATION = "situation"  # 情况通报


class NoticeStatus(StrEnum):
    DRAFT = "draft"
    AWAITING = "awaiting"  # awaiting a leader's sign-off (待签发)
    SIGNED = "signed"  # signed off (已签发), not yet issued
    ISSUED = "issued"  # numbered and sent out; never edited again


class Notice(SQLModel, table=True):
    __table_args__ = (
        one_of("kind", NoticeKind),
        one_of("status", NoticeStatus),
        # A double click on "create" gives one draft: the key is the author's own.
        UniqueConstraint("created_by", "client_key", name="uq_notice_client_key"),
        # A number is used once per kind and year (NULL until issued).
        UniqueConstraint("kind", "number_year", "number_seq", name="uq_notice_number"),
        Index("ix_notice_status_created", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=60)
    opening: str = Field(default="", max_length=4000)
    requirements: str = Field(default="", max_length=4000)
    rectification_deadline: date | None = None
    cc: str = Field(default="", max_length=500)  # 抄送
    printing_office: str = Field(default="", max_length=200)  # 印发机关
    printing_date: date | None = None  # 印发日期
    issuing_office: str = Field(default="", max_length=200)
    attachments: str = Field(default="", max_length=1000)  # 附件, one name a line
    # The findings' first photos go into the document (optional; a photo gone is skipped).
    with_photos: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Each recipient's liaison reads only the extract about its own unit.
    send_extracts: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # A situation report's period and its figures, frozen when the draft is saved (the
    # leader signs off what they read).
    period_from: date | None = None
    period_to: date | None = None
    figures: str = Field(default="", max_length=2000)
    status: str = Field(default=NoticeStatus.DRAFT, max_length=20)
    signed_by: int | None = Field(default=None, foreign_key="user.id")
    signed_at: datetime | None = None
    issued_at: datetime | None = None
    number_year: int | None = None
    number_seq: int | None = None
    # The prefix printed when it was issued: a later change of the settings never renumbers
    # an official document.
    number_prefix: str = Field(default="", max_length=20)
    # A correction is a new notice that refers to the issued one it corrects.
    corrects_id: int | None = Field(default=None, foreign_key="notice.id", index=True)
    published_to_media: bool = Field(default=False,
                                     sa_column_kwargs={"server_default": false()})  # 曝光
    published_on: date | None = None
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class NoticeRecipient(SQLModel, table=True):
    """A main recipient (主送) of a notice: a unit, whose liaison reads the issued notice."""

    __tablename__ = "notice_recipient"

    notice_id: int = Field(foreign_key="notice.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    reason: str = Field(default="", max_length=500)  # a commendation's reason for this unit


class NoticeFinding(SQLModel, table=True):
    """A finding listed in a notice, with its status when it was selected: issuing refuses
    a finding reopened or verified since."""

    __tablename__ = "notice_finding"

    notice_id: int = Field(foreign_key="notice.id", primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", primary_key=True, index=True)
    selected_status: str = Field(max_length=20)


class NoticeStatusChange(SQLModel, table=True):
    __tablename__ = "notice_status_change"
    __table_args__ = (
        one_of("from_status", NoticeStatus, nullable=True),
        one_of("to_status", NoticeStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=2000)


class NoticeCounter(SQLModel, table=True):
    """The last number issued per kind and year; locked by the issuing transaction."""

    __tablename__ = "notice_counter"
    __table_args__ = (one_of("kind", NoticeKind),)

    kind: str = Field(max_length=20, primary_key=True)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0
