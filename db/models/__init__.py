"""SQLModel tables. Business rules live in services/; these classes only store."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel

from db.timeutil import utcnow

# Named constraints read ck_<table>_<column>_valid, the names the migrations use.
SQLModel.metadata.naming_convention = {
    **SQLModel.metadata.naming_convention, "ck": "ck_%(table_name)s_%(constraint_name)s"
}


def one_of(column: str, values: type[StrEnum], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK constraint that keeps a status or kind column within its enum, so a typo in
    any writer (a service, an import, a hand-made SQL fix) fails instead of storing a value
    no screen knows. Named, so migrations can find it on every database."""
    allowed = ", ".join(f"'{v.value}'" for v in values)
    test = f"{column} IN ({allowed})"
    if nullable:
        test = f"{column} IS NULL OR {test}"
    return CheckConstraint(test, name=f"{column}_valid")


class Role(StrEnum):
    ADMIN = "admin"
    OFFICE = "office"
    LEADER = "leader"
    INSPECTOR = "inspector"
    UNIT = "unit"


class DistrictKind(StrEnum):
    DISTRICT = "district"
    TOWN = "town"
    COMMUNITY = "community"


class District(SQLModel, table=True):
    __table_args__ = (one_of("kind", DistrictKind),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: str = Field(max_length=20)
    parent_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    # Residents, where the office has set it: the dashboard compares complaints per 10,000.
    population: int | None = None
    active: bool = True
    version: int = 1


class Industry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    active: bool = True
    version: int = 1


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    industry_id: int | None = Field(default=None, foreign_key="industry.id", index=True)
    supervisor_id: int | None = Field(default=None, foreign_key="unit.id")
    first_responsible: str = Field(default="", max_length=100)
    active: bool = True
    version: int = 1


class User(SQLModel, table=True):
    __table_args__ = (one_of("role", Role),)
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    district_id: int | None = Field(default=None, foreign_key="district.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    password_hash: str = Field(max_length=255)
    # Where reminders (催办) reach a unit's liaison, if the server can send mail (SMTP_*).
    email: str | None = Field(default=None, max_length=254)
    language: str | None = Field(default=None, max_length=10)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_signin_at: datetime | None = None
    version: int = 1
    # Raised by whatever should end the user's other sessions (a new password, a new role
    # or scope, deactivation); a session started under an older value is signed out.
    credential_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted per typed username ("account") and per client address
    ("client"), known username or not; see services/identity/throttle.py."""

    __tablename__ = "signin_throttle"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=10)
    key: str = Field(max_length=128)
    failures: int = 0
    last_failure_at: datetime | None = Field(default=None, index=True)
    blocked_until: datetime | None = None


class SignInKnownClient(SQLModel, table=True):
    """Where a user has signed in successfully before: a wait that someone guessing the
    user's name has started does not hold back a client on this list (throttle.py)."""

    __tablename__ = "signin_known_client"
    __table_args__ = (UniqueConstraint("user_id", "client", name="uq_signin_known_client"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    client: str = Field(max_length=128)
    last_signin_at: datetime = Field(index=True)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(max_length=64, index=True)
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    at: datetime = Field(default_factory=utcnow, index=True)


# --- inspections (issue: field inspections with photo evidence) -------------------------


class InspectionKind(StrEnum):
    OPEN = "open"  # 明察
    UNANNOUNCED = "unannounced"  # 暗访
    SPOT_CHECK = "spot_check"  # 专项抽查
    FOCUSED = "focused"  # 重点督察


class AnswerType(StrEnum):
    YES_NO = "yes_no"  # yes / no / not applicable; "no" fails
    NUMBER = "number"
    TEXT = "text"


class InspectionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"


class FindingStatus(StrEnum):
    DRAFT = "draft"  # the inspector is still writing it
    OPEN = "open"  # submitted, waiting for the office's review
    REJECTED = "rejected"
    RECTIFYING = "rectifying"  # confirmed, with a deadline: the unit must fix it
    REPORTED = "reported"  # the unit says it is fixed
    VERIFIED = "verified"  # closed
    REOPENED = "reopened"  # not fixed after all: back to the unit


class VisitPlanStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class RectificationOutcome(StrEnum):
    VERIFIED = "verified"
    REOPENED = "reopened"


class Severity(StrEnum):
    GENERAL = "general"  # 一般
    SERIOUS = "serious"  # 较重
    SEVERE = "severe"  # 严重


class ChecklistTemplate(SQLModel, table=True):
    __tablename__ = "checklist_template"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    description: str = Field(default="", max_length=500)
    active: bool = True
    version: int = 1


class ChecklistItem(SQLModel, table=True):
    __tablename__ = "checklist_item"
    __table_args__ = (one_of("answer_type", AnswerType),)

    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="checklist_template.id", index=True)
    section: str = Field(max_length=100)
    position: int = 0
    text: str = Field(max_length=300)
    answer_type: str = Field(default=AnswerType.YES_NO, max_length=20)
    photo_required_on_fail: bool = False
    active: bool = True


class VisitPlan(SQLModel, table=True):
    __tablename__ = "visit_plan"
    __table_args__ = (one_of("kind", InspectionKind), one_of("status", VisitPlanStatus))

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=20)
    window_start: date
    window_end: date
    template_id: int = Field(foreign_key="checklist_template.id")
    note: str = Field(default="", max_length=500)
    status: str = Field(default=VisitPlanStatus.PLANNED, max_length=20)
    # A focused supervision (重点督察) the office planned because of this complaint.
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class VisitPlanInspector(SQLModel, table=True):
    __tablename__ = "visit_plan_inspector"

    plan_id: int = Field(foreign_key="visit_plan.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class Inspection(SQLModel, table=True):
    __table_args__ = (
        one_of("kind", InspectionKind),
        one_of("status", InspectionStatus),
        # Per inspector: another user cannot take a key this inspector's tablet will use.
        UniqueConstraint("inspector_id", "client_key", name="uq_inspection_client_key"),
        # The dashboard filtered to a district: its units' visits of a period.
        Index("ix_inspection_unit_visited", "unit_id", "visited_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    # Chosen by the tablet when the visit starts: a retried start or submit finds this row
    # instead of creating a second inspection.
    client_key: str = Field(max_length=64)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: str = Field(max_length=20)
    template_id: int = Field(foreign_key="checklist_template.id")
    plan_id: int | None = Field(default=None, foreign_key="visit_plan.id", index=True)
    inspector_id: int = Field(foreign_key="user.id", index=True)
    visited_at: datetime = Field(default_factory=utcnow, index=True)
    summary: str = Field(default="", max_length=4000)
    status: str = Field(default=InspectionStatus.DRAFT, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    version: int = 1


class ChecklistAnswer(SQLModel, table=True):
    __tablename__ = "checklist_answer"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inspection_id: int = Field(foreign_key="inspection.id", index=True)
    item_id: int = Field(foreign_key="checklist_item.id")
    value: str = Field(default="", max_length=1000)


class Finding(SQLModel, table=True):
    __table_args__ = (
        one_of("severity", Severity),
        one_of("status", FindingStatus),
        # The lists filter by status and deadline (overdue, due soon) and by unit and status.
        Index("ix_finding_status_deadline", "status", "deadline"),
        Index("ix_finding_unit_status", "unit_id", "status"),
        # The dashboard filtered to a district: its units' findings of a period, found or due.
        Index("ix_finding_unit_created", "unit_id", "created_at"),
        Index("ix_finding_unit_deadline", "unit_id", "deadline"),
        UniqueConstraint("inspection_id", "client_key", name="uq_finding_client_key"),
        # A complaint opens at most one finding of its own (one without a visit).
        Index("uq_finding_from_complaint", "complaint_id", unique=True,
              sqlite_where=text("inspection_id IS NULL"),
              postgresql_where=text("inspection_id IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64)
    # None for a finding the office opened from a complaint, without a visit.
    inspection_id: int | None = Field(default=None, foreign_key="inspection.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="checklist_item.id")
    category: str = Field(max_length=100)
    severity: str = Field(default=Severity.GENERAL, max_length=20)
    description: str = Field(max_length=4000)
    responsible_person: str = Field(default="", max_length=100)
    status: str = Field(default=FindingStatus.DRAFT, max_length=20, index=True)
    deadline: date | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # When the office confirmed it (open -> rectifying): lists and on-time rates read it
    # here instead of searching the status log.
    confirmed_at: datetime | None = None
    # When an issued notice (通报) first listed it.
    circulated_at: datetime | None = None
    # The complaint this finding was opened from, if any.
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    version: int = 1


class FindingStatusChange(SQLModel, table=True):
    __tablename__ = "finding_status_change"
    __table_args__ = (
        one_of("from_status", FindingStatus, nullable=True),
        one_of("to_status", FindingStatus),
        # Reopened findings (the register's filter, tracking's lists): found by status and
        # finding in the index alone, with the time of each reopen (0023).
        Index("ix_finding_status_change_to_finding", "to_status", "finding_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=2000)


class Rectification(SQLModel, table=True):
    __table_args__ = (
        one_of("outcome", RectificationOutcome, nullable=True),
        UniqueConstraint("submitted_by", "client_key", name="uq_rectification_client_key"),
        # Each finding's latest report (on-time rates), from the index alone (0023).
        Index("ix_rectification_finding_submitted", "finding_id", "submitted_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    submitted_by: int = Field(foreign_key="user.id")
    text: str = Field(max_length=4000)
    submitted_at: datetime = Field(default_factory=utcnow)
    outcome: str | None = Field(default=None, max_length=20)
    verified_by: int | None = Field(default=None, foreign_key="user.id")
    verified_at: datetime | None = None
    verify_note: str = Field(default="", max_length=2000)


class Photo(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    original_key: str = Field(max_length=200)
    display_key: str = Field(max_length=200)
    thumb_key: str = Field(max_length=200)
    mime: str = Field(max_length=50)
    size_bytes: int
    width: int
    height: int
    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    finding_id: int | None = Field(default=None, foreign_key="finding.id", index=True)
    rectification_id: int | None = Field(default=None, foreign_key="rectification.id", index=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    complaint_reply_id: int | None = Field(
        default=None, foreign_key="complaint_reply.id", index=True
    )
    progress_report_id: int | None = Field(
        default=None, foreign_key="progress_report.id", index=True
    )
    work_report_id: int | None = Field(default=None, foreign_key="work_report.id", index=True)
    # Only for a photo the office registered with a complaint: the unit concerned may see it
    # (the others stay with the office: they may show who complained).
    shared_with_unit: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    uploaded_by: int = Field(foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


# Each area's tables in a module of its own, imported here so `from db.models import X`
# finds every table and the metadata holds them all.
from db.models.campaign import (  # noqa: E402
    Battle,
    Contribution,
    HallPlan,
    HallPlanStatus,
    HallPlanStatusChange,
    Milestone,
    ProgressReport,
    ProgressRevision,
    Task,
    TaskRole,
    TaskUnit,
    WorkReport,
    WorkReportKind,
    WorkReportStatus,
)
from db.models.complaints import (  # noqa: E402
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintExtension,
    ComplaintFollowUp,
    ComplaintReply,
    ComplaintStatus,
    ComplaintStatusChange,
    ContactMethod,
    EscalationLevel,
    ExtensionDecision,
    ImportMapping,
    Satisfaction,
)
from db.models.dashboard import DataVersion  # noqa: E402
from db.models.documents import Document  # noqa: E402
from db.models.finding_actions import FindingDeadlineChange, FindingUrge  # noqa: E402
from db.models.instructions import (  # noqa: E402
    Instruction,
    InstructionStatus,
    InstructionTarget,
)
from db.models.notices import (  # noqa: E402
    Notice,
    NoticeCounter,
    NoticeFinding,
    NoticeKind,
    NoticeRecipient,
    NoticeStatus,
    NoticeStatusChange,
)
from db.models.preferences import SavedFilter  # noqa: E402
from db.models.routing import RoutingModel  # noqa: E402
