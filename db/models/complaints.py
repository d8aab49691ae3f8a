"""Complaints (投诉): the register, its lifecycle log, replies, follow-ups, extension
requests, the editable category list and saved import mappings. Rules in
services/complaints/."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from db.models import one_of
from db.timeutil import utcnow


class ComplaintChannel(StrEnum):
    PHONE = "phone"  # 来电
    LETTER = "letter"  # 来信
    VISIT = "visit"  # 来访
    ONLINE = "online"  # 网络
    HOTLINE = "hotline"  # 12345 热线
    PROVINCIAL = "provincial"  # 省纠风网
    OTHER = "other"  # 其他


class ComplaintStatus(StrEnum):
    RECEIVED = "received"  # registered by the office, not yet sent to a unit
    ASSIGNED = "assigned"  # sent to a unit, waiting for it to sign for it (签收)
    SIGNED = "signed"  # the unit has signed for it and is working on it
    REPLIED = "replied"  # the unit has answered; the office follows up with the complainant
    REOPENED = "reopened"  # the complainant was not satisfied: back to the unit
    RETURNED = "returned"  # the unit says it is not theirs (退回): the office reassigns
    CLOSED = "closed"


class EscalationLevel(StrEnum):
    NONE = "none"
    CITY = "city"  # 市级
    PROVINCE = "province"  # 省级 (省纪委纠风网)
    NATIONAL = "national"  # 国家级


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY = "basically"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class ContactMethod(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    SMS = "sms"
    LETTER = "letter"
    OTHER = "other"


class ExtensionDecision(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the unit returned the complaint before the office decided


class ComplaintCategory(SQLModel, table=True):
    """The editable list (工作不到位, 服务态度差, ...), with the days a unit has to answer."""

    __tablename__ = "complaint_category"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    deadline_days: int = 15
    position: int = 0
    active: bool = True
    version: int = 1


class Complaint(SQLModel, table=True):
    __table_args__ = (
        one_of("channel", ComplaintChannel),
        one_of("status", ComplaintStatus),
        one_of("escalation_level", EscalationLevel),
        one_of("satisfaction", Satisfaction, nullable=True),
        # A hotline's ticket number (工单编号) names one complaint per source: importing
        # the same export twice finds the rows it made.
        UniqueConstraint("source", "external_id", name="uq_complaint_external_id"),
        # The register form's key: a double click on "save" registers one complaint.
        UniqueConstraint("created_by", "client_key", name="uq_complaint_client_key"),
        # The lists: newest first, by status, by unit and status, overdue by deadline.
        Index("ix_complaint_status_deadline", "status", "deadline"),
        Index("ix_complaint_unit_status", "unit_id", "status"),
        Index("ix_complaint_district_received", "district_id", "received_at"),
        # The dashboard's counts by day received and by answer deadline:
        # each index holds every column those counts read, so a year of a million
        # complaints is counted from the index alone, without visiting the table.
        Index("ix_complaint_received_counts", "received_at", "channel", "unit_id",
              "category_id", "district_id", "escalated", "duplicate_of_id"),
        Index("ix_complaint_deadline_counts", "deadline", "assigned_at", "replied_at",
              "status", "district_id", "unit_id", "duplicate_of_id"),

        # Only the linked duplicates: "the copies of this complaint". A full index on the
        # column made SQLite answer every list's "duplicate_of_id IS NULL" (98 % of rows)
        # through it and then sort them all, instead of walking received_at: seconds at a
        # million complaints.
        Index("ix_complaint_duplicate_link", "duplicate_of_id",
              sqlite_where=text("duplicate_of_id IS NOT NULL"),
              postgresql_where=text("duplicate_of_id IS NOT NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "manual" for the office's own register, else the import source (12345, 省纠风网, ...).
    source: str = Field(default="manual", max_length=50)
    external_id: str | None = Field(default=None, max_length=64)
    # An imported complaint: a digest of each of the file's values at its last import, so a
    # re-import changes only what the hotline changed (services/imports/reimport.py).
    import_digests: dict | None = Field(default=None, sa_column=Column(JSON))
    client_key: str | None = Field(default=None, max_length=64)
    channel: str = Field(max_length=20)
    received_at: datetime  # indexed by ix_complaint_received_counts
    # The complainant: personal data, shown in full to the office and administrators only
    # (services/complaints/masking.py).
    anonymous: bool = False
    complainant_name: str = Field(default="", max_length=50)
    complainant_phone: str = Field(default="", max_length=30)
    # The phone's digits only, for "this caller's earlier complaints" and duplicates.
    phone_digits: str = Field(default="", max_length=20, index=True)
    complainant_address: str = Field(default="", max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    # The unit the office sent it to, while that unit has it: what the unit's liaison may
    # read. Cleared when the unit returns it; a complaint the office settled itself was
    # never sent, however much it names a unit.
    sent_to_unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    district_id: int | None = Field(default=None, foreign_key="district.id")
    category_id: int = Field(foreign_key="complaint_category.id", index=True)
    content: str = Field(max_length=4000)
    escalated: bool = Field(default=False, index=True)
    escalation_level: str = Field(default=EscalationLevel.NONE, max_length=20)
    deadline: date
    status: str = Field(default=ComplaintStatus.RECEIVED, max_length=20, index=True)
    assigned_at: datetime | None = None
    signed_at: datetime | None = None
    replied_at: datetime | None = None
    closed_at: datetime | None = None
    satisfaction: str | None = Field(default=None, max_length=20)
    # Set when the office links this complaint to an earlier one about the same matter;
    # volume counts leave such duplicates out unless asked.
    duplicate_of_id: int | None = Field(default=None, foreign_key="complaint.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class ComplaintStatusChange(SQLModel, table=True):
    __tablename__ = "complaint_status_change"
    __table_args__ = (
        one_of("from_status", ComplaintStatus, nullable=True),
        one_of("to_status", ComplaintStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=2000)


class ComplaintReply(SQLModel, table=True):
    """The unit's answer: what it did and what came of it."""

    __tablename__ = "complaint_reply"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    by: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    action_taken: str = Field(max_length=4000)
    result: str = Field(max_length=2000)


class ComplaintFollowUp(SQLModel, table=True):
    """The office's call back to the complainant (回访)."""

    __tablename__ = "complaint_follow_up"
    __table_args__ = (
        one_of("satisfaction", Satisfaction),
        one_of("method", ContactMethod),
        # The dashboard's satisfaction: the calls of a period, read from the index alone.
        Index("ix_complaint_follow_up_counts", "at", "complaint_id", "satisfaction"),
    )

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    by: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    satisfaction: str = Field(max_length=20)
    method: str = Field(max_length=20)
    note: str = Field(default="", max_length=2000)


class ComplaintExtension(SQLModel, table=True):
    """A unit's request for more time (延期) and the office's decision."""

    __tablename__ = "complaint_extension"
    __table_args__ = (one_of("decision", ExtensionDecision, nullable=True),)

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    requested_by: int = Field(foreign_key="user.id")
    requested_at: datetime = Field(default_factory=utcnow)
    reason: str = Field(max_length=2000)
    new_deadline: date
    decision: str | None = Field(default=None, max_length=20)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    decision_note: str = Field(default="", max_length=2000)


class ImportMapping(SQLModel, table=True):
    """A saved column and value mapping for one kind of hotline export, reused by name."""

    __tablename__ = "import_mapping"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: str = Field(default="complaints", max_length=30)
    mapping: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1
